# cmake -DSDK_DIR=<dir with the SDK headers> -DTEMPLATE=<abi_hash.hpp.in> -DOUTPUT=<header> -P abi_hash.cmake
#
# Writes the plugin ABI hash header: SHA-256 over every *.hpp of SDK_DIR, sorted by name, each
# as "<file name>\n<content>\n". Run at build time with the headers as inputs (B3sAbiHash.cmake),
# so an edit of an SDK header always gives core and the plugins a new hash. The output is
# rewritten only when the hash changes.
foreach(_var SDK_DIR TEMPLATE OUTPUT)
  if(NOT DEFINED ${_var})
    message(FATAL_ERROR "abi_hash.cmake: -D${_var}=… is required")
  endif()
endforeach()
file(GLOB _headers ${SDK_DIR}/*.hpp)
list(SORT _headers)
if(NOT _headers)
  message(FATAL_ERROR "abi_hash.cmake: no SDK headers in ${SDK_DIR}")
endif()
set(_text "")
foreach(_h IN LISTS _headers)
  file(READ ${_h} _content)
  get_filename_component(_name ${_h} NAME)
  string(APPEND _text "${_name}\n${_content}\n")
endforeach()
string(SHA256 B3S_ABI_HASH "${_text}")
configure_file(${TEMPLATE} ${OUTPUT} @ONLY)
