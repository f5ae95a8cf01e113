# Where an installed b3scale lives (GNUInstallDirs). b3scaled has the plugin directory of the
# configured prefix compiled in, and the env file's path follows the prefix too (/usr gives /etc),
# so installing to another prefix than the configured one would give a b3scaled that finds no
# plugins: refuse that at install time, naming the fix.
set(B3S_PLUGIN_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/b3scale/plugins)
install(CODE "
  if(NOT CMAKE_INSTALL_PREFIX STREQUAL \"${CMAKE_INSTALL_PREFIX}\")
    message(FATAL_ERROR \"this build was configured for prefix ${CMAKE_INSTALL_PREFIX} (b3scaled looks for its plugins in ${CMAKE_INSTALL_FULL_LIBDIR}/b3scale/plugins), not \${CMAKE_INSTALL_PREFIX}: configure it with -DCMAKE_INSTALL_PREFIX=\${CMAKE_INSTALL_PREFIX}\")
  endif()" ALL_COMPONENTS)
