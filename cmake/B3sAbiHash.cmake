# The plugin ABI hash: SHA-256 over the SDK headers, compiled into core and into every plugin.
# A plugin built against other headers carries another hash and is refused. Computed at build
# time by cmake/abi_hash.cmake with the headers as its inputs, so it is never stale; the target
# b3s_abi_hash runs before anything that links b3s::plugin_api is compiled.
set(B3S_SDK_DIR ${CMAKE_SOURCE_DIR}/core/include/b3s/plugin)
file(GLOB B3S_SDK_HEADERS CONFIGURE_DEPENDS ${B3S_SDK_DIR}/*.hpp)
set(B3S_GENERATED_INCLUDE_DIR ${CMAKE_BINARY_DIR}/generated/include)
set(B3S_ABI_HASH_HEADER ${B3S_GENERATED_INCLUDE_DIR}/b3s/generated/abi_hash.hpp)
set(B3S_ABI_HASH_SCRIPT ${CMAKE_SOURCE_DIR}/cmake/abi_hash.cmake)
set(B3S_ABI_HASH_TEMPLATE ${CMAKE_SOURCE_DIR}/cmake/abi_hash.hpp.in)
add_custom_command(
  OUTPUT ${B3S_ABI_HASH_HEADER}
  COMMAND ${CMAKE_COMMAND} -DSDK_DIR=${B3S_SDK_DIR} -DTEMPLATE=${B3S_ABI_HASH_TEMPLATE}
          -DOUTPUT=${B3S_ABI_HASH_HEADER} -P ${B3S_ABI_HASH_SCRIPT}
  DEPENDS ${B3S_SDK_HEADERS} ${B3S_ABI_HASH_SCRIPT} ${B3S_ABI_HASH_TEMPLATE}
  COMMENT "Hashing the plugin SDK headers"
  VERBATIM)
add_custom_target(b3s_abi_hash DEPENDS ${B3S_ABI_HASH_HEADER})
