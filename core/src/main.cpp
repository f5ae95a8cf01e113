#include "app/server_app.hpp"

POCO_SERVER_MAIN(b3s::core::app::ServerApp)
