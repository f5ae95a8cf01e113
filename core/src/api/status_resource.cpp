#include "api/resource_json.hpp"
#include "api/resources.hpp"

#include <b3s/generated/build_info.hpp>

#include <Poco/JSON/Object.h>

namespace b3s::core::api {
namespace {

using Poco::JSON::Object;

// b3scale's schema status document (spec §1.7) from the store's own view of its schema.
Object::Ptr schemaStatusJson(ApiContext& context) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("database", context.database_name);
    try {
        const auto status = context.store.schemaStatus();
        o->set("available", true);
        o->set("migrated", status.upToDate());
        if (status.current > 0) {
            Object::Ptr m = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
            m->set("applied_at", rfc3339(status.applied_at));
            m->set("description", status.description);
            m->set("version", status.current);
            o->set("migration", m);
        } else {
            o->set("migration", Poco::Dynamic::Var());
        }
        o->set("pending_migrations", std::max(0, status.latest - status.current));
        o->set("error", Poco::Dynamic::Var());
    } catch (const store::StoreError& e) {
        o->set("available", false);
        o->set("migrated", false);
        o->set("migration", Poco::Dynamic::Var());
        o->set("pending_migrations", 0);
        o->set("error", std::string(e.what()));
    }
    return o;
}

}  // namespace

ApiResult showStatus(const ApiRequest& request, ApiContext& context) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("version", std::string(build::kVersion));
    o->set("build", std::string(build::kBuildId));
    o->set("api", "v1");
    o->set("account_ref", request.access.subject);
    o->set("is_admin", request.access.is_admin);
    o->set("database", schemaStatusJson(context));
    return ok(o);
}

ApiResult migrateDatabase(const ApiRequest&, ApiContext& context) {
    context.store.migrate();
    return ok(schemaStatusJson(context));
}

}  // namespace b3s::core::api
