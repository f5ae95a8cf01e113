#pragma once
// The OpenAPI 3.0 document of the REST API, generated from the route table (api_routes.hpp)
// and the schemas below: served at GET /api/v1/openapi.json and printed by
// `b3scalectl export-openapi-schema`.

#include <Poco/JSON/Object.h>

namespace b3s::core::api {

/// A fresh document (build it once and keep it; it does not change at run time).
Poco::JSON::Object::Ptr openApiDocument();

}  // namespace b3s::core::api
