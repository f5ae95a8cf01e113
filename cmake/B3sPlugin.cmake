# b3s_add_plugin(KIND <kind> NAME <name> SOURCES <logic sources> ENTRY <plugin_entry.cpp>
#                [LIBRARIES <libs>] [TEST_SOURCES <tests>] [TEST_LIBRARIES <libs for the tests only>])
#
# Builds, for one plugin:
#   b3s_<kind>_<name>_objs  OBJECT library with the logic (no Boost.DLL), linked by .so and tests
#   b3s_<kind>_<name>       the MODULE library libb3s_<kind>_<name>.so in ${B3S_PLUGIN_OUTPUT_DIR}
#   b3s_<kind>_<name>_test  unit tests on the OBJECT library, CTest label "unit"
# Export only the descriptor, the factory and the SDK's RTTI. Without this a plugin that so
# much as calls std::to_string carries an STB_GNU_UNIQUE symbol, glibc marks it NODELETE, and
# the library stays mapped after its last object is gone (tests/plugin's load tests check it).
set(B3S_PLUGIN_EXPORTS_MAP ${CMAKE_CURRENT_LIST_DIR}/b3s_plugin_exports.map)
function(b3s_plugin_exports target)
  target_link_options(${target} PRIVATE -Wl,--version-script=${B3S_PLUGIN_EXPORTS_MAP})
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${B3S_PLUGIN_EXPORTS_MAP})
endfunction()

function(b3s_add_plugin)
  cmake_parse_arguments(P "" "KIND;NAME;ENTRY" "SOURCES;LIBRARIES;TEST_SOURCES;TEST_LIBRARIES" ${ARGN})
  set(base b3s_${P_KIND}_${P_NAME})

  add_library(${base}_objs OBJECT ${P_SOURCES})
  target_include_directories(${base}_objs PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_link_libraries(${base}_objs PUBLIC b3s::plugin_api ${P_LIBRARIES})

  add_library(${base} MODULE ${P_ENTRY})
  target_link_libraries(${base} PRIVATE ${base}_objs)
  set_target_properties(${base} PROPERTIES
    OUTPUT_NAME ${base}
    LIBRARY_OUTPUT_DIRECTORY ${B3S_PLUGIN_OUTPUT_DIR})
  # Plugins resolve every symbol at load time against shared libraries, never against b3scaled.
  target_link_options(${base} PRIVATE -Wl,--no-undefined)
  b3s_plugin_exports(${base})
  # Recordings plugins go to the b3scale-recordings package, every other kind to b3scale.
  set(component server)
  if(P_KIND STREQUAL "recordings")
    set(component recordings)
  endif()
  install(TARGETS ${base} LIBRARY DESTINATION ${B3S_PLUGIN_INSTALL_DIR} COMPONENT ${component})
  set_property(GLOBAL APPEND PROPERTY B3S_PLUGIN_TARGETS ${base})

  if(B3S_BUILD_TESTS AND P_TEST_SOURCES)
    add_executable(${base}_test ${P_TEST_SOURCES})
    # b3s_test_fakes: the SDK fakes (tests/support/fakes), never core.
    target_link_libraries(${base}_test PRIVATE ${base}_objs b3s_test_fakes GTest::gtest_main ${P_TEST_LIBRARIES})
    gtest_discover_tests(${base}_test PROPERTIES LABELS unit DISCOVERY_TIMEOUT 30)
  endif()
endfunction()
