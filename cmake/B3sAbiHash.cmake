# The plugin ABI hash: SHA-256 over the SDK headers, compiled into core and into every
# plugin. A plugin built against other headers carries another hash and is refused.
file(GLOB B3S_SDK_HEADERS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/core/include/b3s/plugin/*.hpp)
list(SORT B3S_SDK_HEADERS)
set(_b3s_sdk_text "")
foreach(_h IN LISTS B3S_SDK_HEADERS)
  file(READ ${_h} _content)
  get_filename_component(_name ${_h} NAME)
  string(APPEND _b3s_sdk_text "${_name}\n${_content}\n")
endforeach()
string(SHA256 B3S_ABI_HASH "${_b3s_sdk_text}")
set(B3S_GENERATED_INCLUDE_DIR ${CMAKE_BINARY_DIR}/generated/include)
configure_file(${CMAKE_SOURCE_DIR}/cmake/abi_hash.hpp.in
  ${B3S_GENERATED_INCLUDE_DIR}/b3s/generated/abi_hash.hpp @ONLY)
