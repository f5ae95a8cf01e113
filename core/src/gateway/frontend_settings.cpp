#include "gateway/frontend_settings.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <array>
#include <cmath>

namespace b3s::core::gateway {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Object;

struct Problem {
    std::string text;
};

bool isNull(const Var& v) {
    return v.isEmpty();
}

// A whole number from `min` to a billion, else a Problem naming `path`.
double wholeNumber(const Var& v, const std::string& path, int min) {
    const double d = v.isNumeric() ? v.convert<double>() : -1;
    if (!std::isfinite(d) || d < min || d != std::floor(d) || d > 1e9)
        throw Problem{path + ": must be a whole number >= " + std::to_string(min)};
    return d;
}

const Object* asObject(const Var& v) {
    if (v.type() == typeid(Object::Ptr)) return v.extract<Object::Ptr>().get();
    return nullptr;
}

ParamList parseParams(const Var& v, const std::string& key) {
    ParamList out;
    if (isNull(v)) return out;
    const Object* obj = asObject(v);
    if (obj == nullptr) throw Problem{key + ": must be an object of string values"};
    // Poco's Object keeps insertion order only when created with preserveInsertionOrder;
    // the parser below is set up that way.
    for (const auto& name : obj->getNames()) {
        const Var& value = obj->get(name);
        if (!value.isString()) throw Problem{key + "." + name + ": must be a string"};
        out.set(name, value.extract<std::string>());
    }
    return out;
}

}  // namespace

bool isRecordingVisibility(std::string_view v) noexcept {
    static constexpr std::array<std::string_view, 5> kVisibilities = {"unpublished", "published", "protected", "public",
                                                                      "public_protected"};
    for (auto k : kVisibilities)
        if (k == v) return true;
    return false;
}

FrontendSettingsResult parseFrontendSettings(std::string_view json) {
    FrontendSettingsResult result;
    FrontendSettings s;
    if (json.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        result.settings = s;
        return result;
    }
    try {
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(/*preserveObjectOrder=*/true));
        Var root = parser.parse(std::string(json));
        const Object* obj = asObject(root);
        if (obj == nullptr) throw Problem{"settings: must be a JSON object"};
        for (const auto& key : obj->getNames()) {
            const Var& v = obj->get(key);
            if (key == "required_tags") {
                if (isNull(v)) continue;
                if (v.type() != typeid(Poco::JSON::Array::Ptr))
                    throw Problem{"required_tags: must be a list of strings"};
                for (const auto& tag : *v.extract<Poco::JSON::Array::Ptr>()) {
                    if (!tag.isString()) throw Problem{"required_tags: must be a list of strings"};
                    s.required_tags.push_back(tag.extract<std::string>());
                }
            } else if (key == "default_presentation") {
                if (isNull(v)) continue;
                const Object* p = asObject(v);
                if (p == nullptr) throw Problem{"default_presentation: must be an object {url, force}"};
                DefaultPresentation dp;
                for (const auto& name : p->getNames()) {
                    const Var& f = p->get(name);
                    if (name == "url") {
                        if (isNull(f)) continue;
                        if (!f.isString()) throw Problem{"default_presentation.url: must be a string"};
                        dp.url = f.extract<std::string>();
                    } else if (name == "force") {
                        if (isNull(f)) continue;
                        if (f.type() != typeid(bool))
                            throw Problem{"default_presentation.force: must be true or false"};
                        dp.force = f.extract<bool>();
                    } else {
                        throw Problem{"default_presentation." + name + ": unknown key (use url, force)"};
                    }
                }
                if (!dp.url.empty() && !(dp.url.starts_with("http://") || dp.url.starts_with("https://")))
                    throw Problem{"default_presentation.url: must be an http:// or https:// URL"};
                if (!dp.url.empty()) s.default_presentation = dp;
            } else if (key == "attendees_limit") {
                if (isNull(v)) continue;
                const Object* a = asObject(v);
                if (a == nullptr) throw Problem{"attendees_limit: must be an object {limit}"};
                for (const auto& name : a->getNames()) {
                    if (name != "limit") throw Problem{"attendees_limit." + name + ": unknown key (use limit)"};
                    const Var& l = a->get(name);
                    if (isNull(l)) continue;
                    if (!l.isNumeric()) throw Problem{"attendees_limit.limit: must be a whole number >= 0"};
                    double d = l.convert<double>();
                    if (!std::isfinite(d) || d < 0 || d != std::floor(d) || d > 1e9)
                        throw Problem{"attendees_limit.limit: must be a whole number >= 0"};
                    s.attendees_limit = static_cast<int>(d);
                }
            } else if (key == "meetings_limit") {
                if (isNull(v)) continue;
                const Object* m = asObject(v);
                if (m == nullptr) throw Problem{"meetings_limit: must be an object {limit}"};
                for (const auto& name : m->getNames()) {
                    if (name != "limit") throw Problem{"meetings_limit." + name + ": unknown key (use limit)"};
                    if (!isNull(m->get(name)))
                        s.meetings_limit = static_cast<int>(wholeNumber(m->get(name), "meetings_limit.limit", 0));
                }
            } else if (key == "rate_limit") {
                if (isNull(v)) continue;
                const Object* r = asObject(v);
                if (r == nullptr) throw Problem{"rate_limit: must be an object {requests_per_second, burst}"};
                RateLimit limit;
                bool rate_set = false;
                for (const auto& name : r->getNames()) {
                    const Var& value = r->get(name);
                    if (name == "requests_per_second") {
                        const double d = value.isNumeric() ? value.convert<double>() : -1;
                        if (!std::isfinite(d) || d <= 0 || d > 1e6)
                            throw Problem{"rate_limit.requests_per_second: must be a number > 0"};
                        limit.per_second = d;
                        rate_set = true;
                    } else if (name == "burst") {
                        limit.burst = static_cast<int>(wholeNumber(value, "rate_limit.burst", 1));
                    } else {
                        throw Problem{"rate_limit." + name + ": unknown key (use requests_per_second, burst)"};
                    }
                }
                if (!rate_set) throw Problem{"rate_limit.requests_per_second: required"};
                s.rate_limit = limit;
            } else if (key == "create_default_params") {
                s.create_default_params = parseParams(v, key);
            } else if (key == "create_override_params") {
                s.create_override_params = parseParams(v, key);
            } else if (key == "join_default_params") {
                s.join_default_params = parseParams(v, key);
            } else if (key == "join_override_params") {
                s.join_override_params = parseParams(v, key);
            } else if (key == "recordings") {
                if (isNull(v)) continue;
                const Object* r = asObject(v);
                if (r == nullptr) throw Problem{"recordings: must be an object {visibility_override}"};
                for (const auto& name : r->getNames()) {
                    if (name != "visibility_override")
                        throw Problem{"recordings." + name + ": unknown key (use visibility_override)"};
                    const Var& vo = r->get(name);
                    if (isNull(vo)) continue;
                    if (!vo.isString() || !isRecordingVisibility(vo.extract<std::string>()))
                        throw Problem{
                            "recordings.visibility_override: must be one of unpublished, published, "
                            "protected, public, public_protected"};
                    s.recordings_visibility_override = vo.extract<std::string>();
                }
            } else {
                throw Problem{key + ": unknown setting"};
            }
        }
    } catch (const Problem& p) {
        result.error = p.text;
        return result;
    } catch (const Poco::Exception& e) {
        result.error = "settings: not valid JSON (" + e.message() + ")";
        return result;
    }
    result.settings = std::move(s);
    return result;
}

}  // namespace b3s::core::gateway
