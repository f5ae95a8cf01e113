# Every dependency comes from Debian 12's own packages (see README.md).

find_package(PostgreSQL REQUIRED)
# Debian's Poco 1.11 config links Poco::DataPostgreSQL against PostgreSQL::client,
# a target nothing defines; provide it before asking for Poco.
if(NOT TARGET PostgreSQL::client)
  add_library(PostgreSQL::client INTERFACE IMPORTED)
  target_link_libraries(PostgreSQL::client INTERFACE PostgreSQL::PostgreSQL)
endif()

find_package(Poco 1.11 REQUIRED COMPONENTS
  Foundation Net NetSSL Util JSON XML Data DataPostgreSQL DataSQLite JWT Crypto)
find_package(fmt 9 REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(Threads REQUIRED)
# sd_notify(3) for Type=notify, the watchdog and reloads (core/src/os); b3s_core links it.
find_package(PkgConfig REQUIRED)
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)
if(B3S_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
