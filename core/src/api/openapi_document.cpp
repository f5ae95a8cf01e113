#include "api/openapi_document.hpp"

#include "api/api_routes.hpp"

#include <b3s/generated/build_info.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <set>

namespace b3s::core::api {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// The schemas, as JSON text: easier to read and review than builder calls.
constexpr const char* kSchemas = R"json({
  "Error": {"type": "object", "required": ["error", "message"], "properties": {
    "error": {"type": "string", "description": "stable code: bad_request, unauthorized, forbidden, not_found, conflict, unavailable, …"},
    "message": {"type": "string"},
    "fields": {"type": "object", "description": "forbidden: the fields this token may not change, each with the reason",
      "additionalProperties": {"type": "array", "items": {"type": "string"}}}}},
  "ValidationError": {"type": "object", "required": ["error", "message", "fields"], "properties": {
    "error": {"type": "string", "enum": ["validation_error"]},
    "message": {"type": "string"},
    "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}}},
  "SchemaStatus": {"type": "object", "properties": {
    "available": {"type": "boolean"}, "database": {"type": "string"}, "migrated": {"type": "boolean"},
    "migration": {"type": "object", "nullable": true, "properties": {
      "version": {"type": "integer"}, "description": {"type": "string"}, "applied_at": {"type": "string", "format": "date-time"}}},
    "pending_migrations": {"type": "integer"}, "error": {"type": "string", "nullable": true}}},
  "Status": {"type": "object", "properties": {
    "version": {"type": "string"}, "build": {"type": "string"}, "api": {"type": "string"},
    "account_ref": {"type": "string"}, "is_admin": {"type": "boolean"},
    "database": {"$ref": "#/components/schemas/SchemaStatus"}}},
  "FrontendSettings": {"type": "object", "properties": {
    "required_tags": {"type": "array", "nullable": true, "items": {"type": "string"}},
    "default_presentation": {"type": "object", "nullable": true, "properties": {"url": {"type": "string"}, "force": {"type": "boolean"}}},
    "attendees_limit": {"type": "object", "nullable": true, "properties": {"limit": {"type": "integer", "minimum": 0}}},
    "meetings_limit": {"type": "object", "nullable": true, "description": "operators only: meetings running at once; a create of a new one beyond it is FAILED meetingsLimitReached", "properties": {"limit": {"type": "integer", "minimum": 0}}},
    "rate_limit": {"type": "object", "nullable": true, "description": "operators only: BBB calls per b3scaled instance (token bucket); beyond it FAILED rateLimitExceeded", "properties": {"requests_per_second": {"type": "number", "exclusiveMinimum": 0}, "burst": {"type": "integer", "minimum": 1}}},
    "create_default_params": {"type": "object", "additionalProperties": {"type": "string"}},
    "create_override_params": {"type": "object", "additionalProperties": {"type": "string"}},
    "join_default_params": {"type": "object", "additionalProperties": {"type": "string"}},
    "join_override_params": {"type": "object", "additionalProperties": {"type": "string"}},
    "recordings": {"type": "object", "nullable": true, "properties": {"visibility_override": {"type": "string",
      "enum": ["unpublished", "published", "protected", "public", "public_protected"]}}}}},
  "Frontend": {"type": "object", "properties": {
    "id": {"type": "string", "format": "uuid"}, "active": {"type": "boolean"},
    "bbb": {"type": "object", "properties": {"key": {"type": "string"}, "secret": {"type": "string",
      "description": "absent in lists for tenant tokens"}}},
    "settings": {"$ref": "#/components/schemas/FrontendSettings"},
    "account_ref": {"type": "string", "nullable": true},
    "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"},
    "deactivated_by": {"type": "string", "nullable": true, "enum": ["operator", "tenant", null],
      "description": "who switched it off; only an operator re-activates what an operator switched off"}}},
  "FrontendInput": {"type": "object", "description": "tenants may change only bbb.secret (at least 32 bytes), active (not when an operator deactivated it), settings.default_presentation, settings.create_default_params, settings.join_default_params and settings.recordings; other changed fields are a 403 naming them", "properties": {
    "bbb": {"type": "object", "properties": {"key": {"type": "string", "minLength": 1, "description": "operators only"}, "secret": {"type": "string", "minLength": 1}}},
    "active": {"type": "boolean"}, "settings": {"$ref": "#/components/schemas/FrontendSettings"},
    "account_ref": {"type": "string", "nullable": true, "description": "operators only"}}},
  "Backend": {"type": "object", "properties": {
    "id": {"type": "string", "format": "uuid"},
    "node_state": {"type": "string", "enum": ["init", "ready", "unstable", "offline"], "description": "health from b3scaled's own polls"},
    "admin_state": {"type": "string", "enum": ["init", "ready", "stopped", "decommissioned"]},
    "agent_heartbeat": {"type": "string", "format": "date-time"}, "agent_ref": {"type": "string", "nullable": true},
    "agent_report": {"allOf": [{"$ref": "#/components/schemas/AgentReport"}], "nullable": true, "description": "what the node agent sent with its last heartbeat; null: nothing"},
    "last_error": {"type": "string", "nullable": true}, "latency": {"type": "integer", "description": "last poll, nanoseconds"},
    "meetings_count": {"type": "integer"}, "attendees_count": {"type": "integer"}, "load_factor": {"type": "number"},
    "bbb": {"type": "object", "properties": {"host": {"type": "string"}, "secret": {"type": "string"}}},
    "settings": {"type": "object", "properties": {"tags": {"type": "array", "nullable": true, "items": {"type": "string"}}}},
    "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"},
    "synced_at": {"type": "string", "format": "date-time", "description": "last successful poll"}}},
  "BackendInput": {"type": "object", "description": "a node token registers one backend, which starts in admin state init whatever it asks; afterwards it may change only load_factor and bbb.secret (other changed fields are a 403 naming them)", "properties": {
    "bbb": {"type": "object", "properties": {"host": {"type": "string", "description": "http(s)://…/bigbluebutton/api/"}, "secret": {"type": "string"}}},
    "settings": {"type": "object", "properties": {"tags": {"type": "array", "nullable": true, "items": {"type": "string"}}}},
    "admin_state": {"type": "string", "enum": ["init", "ready", "stopped", "decommissioned"], "description": "operators only (a node may send init)"},
    "load_factor": {"type": "number", "minimum": 0, "description": "node tokens: from B3SCALE_NODE_LOAD_FACTOR_MIN to B3SCALE_NODE_LOAD_FACTOR_MAX (0.5 to 10 by default)"}}},
  "Meeting": {"type": "object", "properties": {
    "id": {"type": "string", "description": "the id backends know (b3scale-encoded)"},
    "meeting_id": {"type": "string", "description": "the frontend's own id"},
    "internal_id": {"type": "string", "nullable": true}, "meeting": {"type": "object"},
    "frontend_id": {"type": "string", "format": "uuid"}, "frontend_key": {"type": "string"},
    "backend_id": {"type": "string", "nullable": true, "format": "uuid"},
    "lost_at": {"type": "string", "nullable": true, "format": "date-time", "description": "its backend went offline; re-created on the next create or join"},
    "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"},
    "synced_at": {"type": "string", "format": "date-time"}}},
  "MeetingUpdate": {"type": "object", "required": ["meeting"], "properties": {"meeting": {"type": "object"}}},
  "Command": {"type": "object", "properties": {
    "id": {"type": "string", "format": "uuid"}, "seq": {"type": "integer"},
    "state": {"type": "string", "enum": ["requested", "running", "success", "error"]},
    "action": {"type": "string"}, "params": {}, "result": {"nullable": true},
    "deadline": {"type": "string", "format": "date-time"}, "started_at": {"type": "string", "nullable": true, "format": "date-time"},
    "stopped_at": {"type": "string", "nullable": true, "format": "date-time"}, "created_at": {"type": "string", "format": "date-time"}}},
  "Callback": {"type": "object", "properties": {
    "id": {"type": "string", "format": "uuid"}, "frontend_id": {"type": "string", "format": "uuid"},
    "frontend_key": {"type": "string", "description": "\"undefined\" when the frontend is not known"},
    "method": {"type": "string", "enum": ["GET", "POST"]},
    "url": {"type": "string", "description": "the frontend's callback URL, user:password@ shown as ***@"},
    "state": {"type": "string", "enum": ["pending", "delivering", "delivered", "dead"]},
    "attempts": {"type": "integer"}, "last_error": {"type": "string", "nullable": true},
    "next_attempt_at": {"type": "string", "format": "date-time"},
    "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"}}},
  "CommandInput": {"type": "object", "required": ["action", "params"], "properties": {
    "action": {"type": "string", "enum": ["end_all_meetings"]},
    "params": {"type": "object", "required": ["BackendID"], "properties": {"BackendID": {"type": "string", "format": "uuid"}}}}},
  "Recording": {"type": "object", "description": "BBB's recording with b3scale's Go field names", "properties": {
    "RecordID": {"type": "string"}, "MeetingID": {"type": "string"}, "InternalMeetingID": {"type": "string"},
    "Name": {"type": "string"}, "IsBreakout": {"type": "boolean"}, "Published": {"type": "boolean"},
    "State": {"type": "string", "enum": ["processing", "processed", "published", "unpublished", "deleted"]},
    "StartTime": {"type": "integer", "description": "epoch ms"}, "EndTime": {"type": "integer", "description": "epoch ms"},
    "Participants": {"type": "integer"}, "Metadata": {"type": "object", "additionalProperties": {"type": "string"}},
    "Formats": {"type": "array", "items": {"type": "object", "properties": {
      "Type": {"type": "string"}, "URL": {"type": "string"}, "ProcessingTime": {"type": "integer"},
      "Length": {"type": "integer", "description": "minutes"},
      "Preview": {"type": "object", "properties": {"Images": {"type": "object", "properties": {"All": {"type": "array", "items": {
        "type": "object", "properties": {"Alt": {"type": "string"}, "Height": {"type": "integer"}, "Width": {"type": "integer"}, "URL": {"type": "string"}}}}}}}}}}}}},
  "RecordingState": {"type": "object", "properties": {
    "record_id": {"type": "string"}, "recording": {"$ref": "#/components/schemas/Recording"},
    "meeting_id": {"type": "string"}, "internal_meeting_id": {"type": "string"},
    "frontend_id": {"type": "string", "format": "uuid"},
    "visibility": {"type": "string", "enum": ["unpublished", "published", "protected", "public", "public_protected"]},
    "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"},
    "synced_at": {"type": "string", "format": "date-time"}}},
  "VisibilityInput": {"type": "object", "required": ["record_id", "visibility"], "properties": {
    "record_id": {"type": "string"},
    "visibility": {"type": "string", "enum": ["unpublished", "published", "protected", "public", "public_protected"]}}},
  "ReindexReport": {"type": "object", "properties": {
    "formats_seen": {"type": "integer"}, "indexed": {"type": "integer"}, "unchanged": {"type": "integer"},
    "skipped": {"type": "array", "items": {"type": "string", "description": "<format>/<recordID>: reason"}}}},
  "AgentReport": {"type": "object", "description": "sent as the optional body of POST /agent/heartbeat (without at); absent figures are null", "properties": {
    "at": {"type": "string", "format": "date-time", "description": "when b3scaled received it (answers only)"},
    "meetings": {"type": "integer", "minimum": 0, "maximum": 100000, "nullable": true},
    "attendees": {"type": "integer", "minimum": 0, "maximum": 1000000, "nullable": true, "description": "trusted between polls while the heartbeat is fresh"},
    "host": {"type": "object", "properties": {
      "cpu": {"type": "number", "minimum": 0, "maximum": 1, "nullable": true, "description": "share of all cores busy"},
      "memory": {"type": "number", "minimum": 0, "maximum": 1, "nullable": true, "description": "share of the memory in use"},
      "network_rx_bytes_per_s": {"type": "number", "minimum": 0, "nullable": true},
      "network_tx_bytes_per_s": {"type": "number", "minimum": 0, "nullable": true}}}}},
  "Heartbeat": {"type": "object", "properties": {"backend_id": {"type": "string", "format": "uuid"}, "heartbeat": {"type": "string", "format": "date-time"}}},
  "RpcRequest": {"type": "object", "required": ["action", "payload"], "properties": {
    "action": {"type": "string", "enum": ["meeting_set_running", "meeting_state_reset", "meeting_add_attendee", "meeting_remove_attendee", "meeting_set_recording"]},
    "payload": {"type": "string", "format": "byte", "description": "standard base64 of the JSON parameters"}}},
  "RpcResult": {"type": "object", "properties": {"status": {"type": "string", "enum": ["ok", "error"]}, "result": {}}}
})json";

Object::Ptr schemaRef(const std::string& name) {
    Object::Ptr o = new Object;
    if (name.size() > 2 && name.front() == '[') {
        o->set("type", "array");
        o->set("items", schemaRef(name.substr(1, name.size() - 2)));
        return o;
    }
    o->set("$ref", "#/components/schemas/" + name);
    return o;
}

Object::Ptr jsonContent(const std::string& schema) {
    Object::Ptr media = new Object;
    media->set("schema", schemaRef(schema));
    Object::Ptr content = new Object;
    content->set("application/json", media);
    return content;
}

Object::Ptr response(const std::string& description, const std::string& schema) {
    Object::Ptr r = new Object;
    r->set("description", description);
    r->set("content", jsonContent(schema));
    return r;
}

// The errors a route can answer besides its success.
Object::Ptr responses(const ApiRoute& route) {
    Object::Ptr r = new Object;
    r->set(std::to_string(route.success_status), response("success", route.response_schema));
    if (!route.request_schema.empty() || !route.query.empty() || route.path == "/meetings/{id}")
        r->set("400", response("bad request or validation error", "ValidationError"));
    r->set("401", response("missing, malformed, forged or expired token", "Error"));
    r->set("403", response(route.method == "PATCH" || route.method == "POST"
                               ? "the token lacks a scope for this, or may not change a field it names"
                               : "the token lacks a scope for this",
                           "Error"));
    if (route.path.find("{id}") != std::string::npos || route.path.starts_with("/agent") ||
        (route.path == "/meetings" && route.method == "GET"))
        r->set("404", response("unknown, or not the caller's", "Error"));
    if ((route.method == "POST" || route.method == "PATCH") &&
        (route.path.starts_with("/frontends") || route.path.starts_with("/backends")))
        r->set("409", response("the key or host is taken, the node registered a backend already, or the row changed "
                               "meanwhile",
                               "Error"));
    if (route.action == b3s::plugin::ApiAction::CallbacksRetry)
        r->set("409", response("the callback is not a dead letter", "Error"));
    if (!route.request_schema.empty() || route.path == "/agent/rpc")
        r->set("415", response("the body is not application/json", "Error"));
    r->set("500", response("internal error", "Error"));
    r->set("503", response("the database is unavailable", "Error"));
    return r;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

Object::Ptr openApiDocument() {
    Object::Ptr doc = new Object;
    doc->set("openapi", "3.0.3");
    Object::Ptr info = new Object;
    info->set("title", "b3scale api v1");
    info->set("version", std::string(build::kVersion));
    info->set("description",
              "The REST API of b3scale: frontends (tenants), backends (BBB servers), meetings, commands and the "
              "node agent's endpoints. Every route needs a bearer JWT (HS384 by default) with the scopes named in "
              "its description.");
    doc->set("info", info);
    Array::Ptr servers = new Array;
    Object::Ptr server = new Object;
    server->set("url", std::string(kApiPrefix));
    servers->add(server);
    doc->set("servers", servers);

    Object::Ptr paths = new Object;
    std::set<std::string> tags;
    for (const auto& route : apiRoutes()) {
        const std::string path = route.path.empty() ? "/" : route.path;
        Object::Ptr item = paths->has(path) ? paths->getObject(path) : Object::Ptr(new Object);
        Object::Ptr op = new Object;
        op->set("operationId",
                std::string(b3s::plugin::toString(route.action)) + (route.path == "/status" ? ".alias" : ""));
        op->set("summary", route.summary);
        Array::Ptr op_tags = new Array;
        op_tags->add(route.tag);
        tags.insert(route.tag);
        op->set("tags", op_tags);
        Array::Ptr parameters = new Array;
        if (route.path.find("{id}") != std::string::npos) {
            Object::Ptr p = new Object;
            p->set("name", "id");
            p->set("in", "path");
            p->set("required", true);
            Object::Ptr s = new Object;
            s->set("type", "string");
            p->set("schema", s);
            parameters->add(p);
        }
        for (const auto& q : route.query) {
            Object::Ptr p = new Object;
            p->set("name", q.name);
            p->set("in", "query");
            p->set("required", false);
            p->set("description", q.description);
            Object::Ptr s = new Object;
            s->set("type", "string");
            p->set("schema", s);
            parameters->add(p);
        }
        if (parameters->size() > 0) op->set("parameters", parameters);
        if (!route.request_schema.empty()) {
            Object::Ptr body = new Object;
            // The heartbeat's body is optional: b3scale's agent sends none.
            body->set("required", route.method == "POST" && route.action != b3s::plugin::ApiAction::AgentHeartbeat);
            body->set("content", jsonContent(route.request_schema));
            op->set("requestBody", body);
        }
        op->set("responses", responses(route));
        item->set(lower(route.method), op);
        paths->set(path, item);
    }
    doc->set("paths", paths);

    Object::Ptr components = new Object;
    Poco::JSON::Parser parser;
    components->set("schemas", parser.parse(kSchemas).extract<Object::Ptr>());
    Object::Ptr scheme = new Object;
    scheme->set("type", "http");
    scheme->set("scheme", "bearer");
    scheme->set("bearerFormat", "JWT");
    Object::Ptr schemes = new Object;
    schemes->set("jwt", scheme);
    components->set("securitySchemes", schemes);
    doc->set("components", components);
    Array::Ptr security = new Array;
    Object::Ptr jwt = new Object;
    jwt->set("jwt", Array::Ptr(new Array));
    security->add(jwt);
    doc->set("security", security);
    Array::Ptr tag_list = new Array;
    for (const auto& t : tags) {
        Object::Ptr o = new Object;
        o->set("name", t);
        tag_list->add(o);
    }
    doc->set("tags", tag_list);
    return doc;
}

}  // namespace b3s::core::api
