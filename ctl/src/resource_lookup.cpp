#include "resource_lookup.hpp"

#include "backend_host.hpp"
#include "json_text.hpp"

namespace b3s::ctl {

namespace {

/// The first element of `list` whose `wrapper.field` equals `value` (the API filters already;
/// checking again keeps an older server that ignores the filter from returning another row).
Poco::JSON::Object::Ptr firstWith(const Poco::JSON::Array::Ptr& list, const std::string& wrapper,
                                  const std::string& field, const std::string& value) {
    if (!list) return nullptr;
    for (std::size_t i = 0; i < list->size(); ++i) {
        auto item = list->getObject(static_cast<unsigned>(i));
        if (item && stringMember(objectMember(item, wrapper), field) == value) return item;
    }
    return nullptr;
}

Poco::JSON::Object::Ptr backendWithHost(const ApiClient& api, const std::string& host) {
    return firstWith(api.get("backends", {{"host", host}}).array(), "bbb", "host", host);
}

}  // namespace

Poco::JSON::Object::Ptr findBackendByHost(const ApiClient& api, const std::string& host) {
    const std::string normal = normaliseBackendHost(host);
    if (auto backend = backendWithHost(api, normal)) return backend;
    if (host != normal) return backendWithHost(api, host);
    return nullptr;
}

Poco::JSON::Object::Ptr findFrontendByKey(const ApiClient& api, const std::string& key) {
    return firstWith(api.get("frontends", {{"key", key}}).array(), "bbb", "key", key);
}

Poco::JSON::Object::Ptr requireBackend(const ApiClient& api, const std::string& host) {
    auto backend = findBackendByHost(api, host);
    if (!backend) throw CtlError("backend not found: " + normaliseBackendHost(host));
    return backend;
}

Poco::JSON::Object::Ptr requireFrontend(const ApiClient& api, const std::string& key) {
    auto frontend = findFrontendByKey(api, key);
    if (!frontend) throw CtlError("frontend with key " + key + " not found");
    return frontend;
}

std::map<std::string, std::string> backendHostsById(const ApiClient& api) {
    std::map<std::string, std::string> hosts;
    const auto list = api.get("backends").array();
    for (std::size_t i = 0; i < list->size(); ++i)
        if (auto backend = list->getObject(static_cast<unsigned>(i)))
            hosts[stringMember(backend, "id")] = stringMember(objectMember(backend, "bbb"), "host");
    return hosts;
}

}  // namespace b3s::ctl
