#include "backend_registration.hpp"

#include "agent_exit.hpp"
#include "agent_log.hpp"
#include "interruptible_wait.hpp"
#include "log_throttle.hpp"

#include <fmt/format.h>

#include <Poco/JSON/Object.h>

#include <sstream>

namespace b3s::agent {
namespace {

using Poco::JSON::Object;

/// Ends the attempt; the loop waits and starts over (b3scaled away, a transient answer).
struct RetryLater {
    std::string reason;
};

std::string text(const Object& o) {
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

std::string stringAt(const Object::Ptr& o, const char* key) {
    return o && o->has(key) && o->get(key).isString() ? o->get(key).extract<std::string>() : std::string();
}

[[noreturn]] void refused(const char* step, const HttpReply& reply) {
    const std::string why = reply.status == 401 ? "b3scaled does not accept B3SCALE_API_ACCESS_TOKEN (wrong or "
                                                  "expired token, or signed for another b3scaled)"
                                                : "B3SCALE_API_ACCESS_TOKEN is not a node token (scope b3scale:node)";
    throw AgentExit(kExitUnavailable, "b3scaled_refused", why + ": " + errorText(reply),
                    {{"step", step}, {"status", std::to_string(reply.status)}});
}

void retryIfTransient(const char* step, const HttpReply& reply) {
    if (reply.status >= 500 || reply.status == 429 || reply.status == 0)
        throw RetryLater{fmt::format("{}: HTTP {} {}", step, reply.status, errorText(reply))};
}

void checkCommon(const char* step, const HttpReply& reply) {
    if (reply.status == 401 || reply.status == 403) refused(step, reply);
    retryIfTransient(step, reply);
}

std::string normalisedHost(std::string host) {
    if (!host.ends_with('/')) host += '/';
    return host;
}

void connect(B3scaledApi& api) {
    const auto reply = api.send("GET", "");
    checkCommon("status", reply);
    if (reply.status != 200) throw RetryLater{fmt::format("status: HTTP {} {}", reply.status, errorText(reply))};
    const auto o = jsonObject(reply.body);
    registrationLog().info("b3scaled_connected", {{"url", api.url()},
                                                  {"version", stringAt(o, "version")},
                                                  {"build", stringAt(o, "build")},
                                                  {"api", stringAt(o, "api")},
                                                  {"agent_ref", stringAt(o, "account_ref")}});
}

RegisteredBackend backendOf(const Object::Ptr& o) {
    RegisteredBackend b;
    b.id = stringAt(o, "id");
    b.admin_state = stringAt(o, "admin_state");
    if (o && o->has("bbb") && o->get("bbb").type() == typeid(Object::Ptr))
        b.host = stringAt(o->getObject("bbb"), "host");
    return b;
}

[[noreturn]] void loadFactorRefused(const HttpReply& reply, double load_factor) {
    throw AgentExit(kExitConfig, "load_factor_refused",
                    fmt::format("b3scaled refuses B3SCALE_LOAD_FACTOR={}: {}", load_factor, errorText(reply)),
                    {{"variable", "B3SCALE_LOAD_FACTOR"}, {"status", std::to_string(reply.status)}});
}

RegisteredBackend update(B3scaledApi& api, const RegistrationRequest& request, const Object::Ptr& current) {
    auto backend = backendOf(current);
    if (backend.id.empty()) throw RetryLater{"agent/backend: an answer without an id"};
    Object body(Poco::JSON_PRESERVE_KEY_ORDER);
    body.set("load_factor", request.load_factor);
    std::string fields = "load_factor";
    std::string held_secret;
    if (current->has("bbb") && current->get("bbb").type() == typeid(Object::Ptr))
        held_secret = stringAt(current->getObject("bbb"), "secret");
    if (held_secret != request.secret) {
        Object::Ptr bbb = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        bbb->set("secret", request.secret);
        body.set("bbb", bbb);
        fields += ",bbb.secret";
    }
    // Moving a backend is the operator's call (a node may not change its host).
    if (normalisedHost(backend.host) != normalisedHost(request.host))
        registrationLog().warn("backend_host_differs",
                               {{"backend", backend.id},
                                {"host", backend.host},
                                {"configured_host", request.host},
                                {"hint", "bbb-web's serverURL changed; an operator must change the backend's host"}});
    const auto reply = api.send("PATCH", "/backends/" + backend.id, text(body));
    if (reply.status == 401) refused("update", reply);
    retryIfTransient("update", reply);
    if (reply.status == 400) loadFactorRefused(reply, request.load_factor);
    if (reply.status == 200) {
        const auto saved = backendOf(jsonObject(reply.body));
        if (!saved.id.empty()) backend = saved;
        registrationLog().info("backend_updated", {{"backend", backend.id},
                                                   {"host", backend.host},
                                                   {"admin_state", backend.admin_state},
                                                   {"load_factor", fmt::format("{}", request.load_factor)},
                                                   {"fields", fields}});
    } else {
        // The backend exists and the agent can work; what it asked to change is refused.
        registrationLog().error("backend_update_refused", {{"backend", backend.id},
                                                           {"status", std::to_string(reply.status)},
                                                           {"fields", fields},
                                                           {"error", errorText(reply)}});
    }
    return backend;
}

RegisteredBackend create(B3scaledApi& api, const RegistrationRequest& request, LogThrottle& taken_log) {
    Object body(Poco::JSON_PRESERVE_KEY_ORDER);
    Object::Ptr bbb = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    bbb->set("host", request.host);
    bbb->set("secret", request.secret);
    body.set("bbb", bbb);
    body.set("load_factor", request.load_factor);
    body.set("admin_state", std::string("init"));
    const auto reply = api.send("POST", "/backends", text(body));
    checkCommon("register", reply);
    if (reply.status == 400) loadFactorRefused(reply, request.load_factor);
    if (reply.status == 409) {
        // Most likely an operator added this server by hand. b3scaled lets an agent adopt such
        // a backend when the secret matches; until then (or until the operator removes it or
        // sets its agent_ref) the agent keeps asking.
        if (const auto suppressed = taken_log.allow())
            registrationLog().error(
                "backend_host_taken",
                {{"host", request.host},
                 {"error", errorText(reply)},
                 {"hint",
                  "a backend with this host exists without this agent; check that its secret is bbb-web's "
                  "securitySalt, or let an operator remove it or set its agent_ref to this agent's token "
                  "subject"},
                 {"suppressed", std::to_string(*suppressed)}});
        throw RetryLater{"register: HTTP 409"};
    }
    if (reply.status != 200 && reply.status != 201)
        throw RetryLater{fmt::format("register: HTTP {} {}", reply.status, errorText(reply))};
    const auto backend = backendOf(jsonObject(reply.body));
    registrationLog().info("backend_registered", {{"backend", backend.id},
                                                  {"host", backend.host},
                                                  {"admin_state", backend.admin_state},
                                                  {"load_factor", fmt::format("{}", request.load_factor)},
                                                  {"hint", "it takes meetings once an operator enables it"}});
    return backend;
}

}  // namespace

std::optional<RegisteredBackend> registerBackend(B3scaledApi& api, const RegistrationRequest& request,
                                                 std::stop_token stop, Backoff backoff) {
    LogThrottle unreachable_log;
    LogThrottle taken_log;
    while (!stop.stop_requested()) {
        try {
            connect(api);
            const auto reply = api.send("GET", "/agent/backend");
            checkCommon("agent/backend", reply);
            if (reply.status == 200) {
                const auto current = jsonObject(reply.body);
                if (!current) throw RetryLater{"agent/backend: not JSON"};
                return update(api, request, current);
            }
            if (reply.status != 404)
                throw RetryLater{fmt::format("agent/backend: HTTP {} {}", reply.status, errorText(reply))};
            if (!request.may_register)
                throw AgentExit(kExitUnavailable, "backend_not_registered",
                                "b3scaled knows no backend for this agent's token; start b3scaleagent once with -a "
                                "(--register) to register this BBB server, or let an operator set the backend's "
                                "agent_ref to this agent",
                                {{"host", request.host}});
            return create(api, request, taken_log);
        } catch (const HttpUnreachable& e) {
            if (stop.stop_requested()) break;
            const auto delay = backoff.next();
            if (const auto suppressed = unreachable_log.allow())
                registrationLog().warn("b3scaled_unreachable", {{"error", e.what()},
                                                                {"retry_in_ms", std::to_string(delay.count())},
                                                                {"suppressed", std::to_string(*suppressed)}});
            waitFor(stop, delay);
        } catch (const RetryLater& r) {
            const auto delay = backoff.next();
            if (r.reason != "register: HTTP 409")
                registrationLog().warn("registration_retrying",
                                       {{"reason", r.reason}, {"retry_in_ms", std::to_string(delay.count())}});
            waitFor(stop, delay);
        }
    }
    return std::nullopt;
}

}  // namespace b3s::agent
