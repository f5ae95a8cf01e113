#include "app/server_app.hpp"

#include <iostream>

POCO_SERVER_MAIN(b3s::core::app::ServerApp)
