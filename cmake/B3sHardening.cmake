# Hardening of every non-sanitize build, so the test build and the package builds compile the
# same objects (and share ccache's entries): the packages add no compile flags of their own.
include(CheckPIESupported)
check_pie_supported()

# _FORTIFY_SOURCE needs optimisation (glibc warns at -O0), and a distribution's own flags may
# already choose a level (openSUSE Tumbleweed's %optflags: 3); keep theirs then.
string(TOUPPER "${CMAKE_BUILD_TYPE}" _b3s_build_type)
if(NOT "${CMAKE_CXX_FLAGS} ${CMAKE_CXX_FLAGS_${_b3s_build_type}}" MATCHES "_FORTIFY_SOURCE")
  add_compile_options($<$<NOT:$<CONFIG:Debug>>:-D_FORTIFY_SOURCE=2>)
endif()
add_compile_options(-fstack-protector-strong -fstack-clash-protection)
# Full RELRO: the GOT is read-only once the dynamic linker has resolved every symbol.
add_link_options(-Wl,-z,relro,-z,now)
