#include "gateway/retry_join_link.hpp"

#include <b3s/support/hmac_jwt.hpp>
#include <b3s/support/purpose_keys.hpp>
#include <b3s/support/verification_keys.hpp>

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <limits>
#include <new>
#include <sstream>
#include <typeinfo>

namespace b3s::core::gateway {

namespace {

constexpr std::string_view kJoinPrefix = "/bbb/";
// Join URLs carry every join parameter; 32 KiB is far above what a browser sends and bounds
// the work an unauthenticated request can cause.
constexpr std::size_t kMaxBlobLength = std::size_t{32} * 1024;

// An empty secret gives an empty key: the blob is made but never opens (see the header).
std::string deriveKey(std::string_view jwt_secret) {
    if (jwt_secret.empty()) return {};
    return support::derivePurposeKey(jwt_secret, support::KeyPurpose::RetryJoinLink);
}

bool isSafeJoinUrl(std::string_view url) noexcept {
    if (!url.starts_with(kJoinPrefix)) return false;
    return std::none_of(url.begin(), url.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7F;
    });
}

std::optional<std::string> openVerified(std::string_view payload_part, std::int64_t now_s) {
    const auto json = support::base64UrlDecode(payload_part);
    if (!json) return std::nullopt;
    Poco::JSON::Parser parser;
    const Poco::Dynamic::Var parsed = parser.parse(*json);
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) return std::nullopt;
    const auto& object = parsed.extract<Poco::JSON::Object::Ptr>();

    const Poco::Dynamic::Var method = object->get("mth");
    if (method.isEmpty() || !method.isString() || method.convert<std::string>() != "GET") return std::nullopt;

    // We write exp as an integer; anything else did not come from makeRetryJoinBlob().
    const Poco::Dynamic::Var exp = object->get("exp");
    if (exp.isEmpty() || exp.isBoolean() || !exp.isInteger() || !exp.isSigned()) return std::nullopt;
    if (exp.convert<Poco::Int64>() <= now_s) return std::nullopt;

    const Poco::Dynamic::Var url = object->get("url");
    if (url.isEmpty() || !url.isString()) return std::nullopt;
    std::string join_url = url.convert<std::string>();
    if (!isSafeJoinUrl(join_url)) return std::nullopt;
    return join_url;
}

}  // namespace

std::string makeRetryJoinBlob(std::string_view join_url, std::string_view jwt_secret, std::int64_t now_s,
                              std::int64_t ttl_s) {
    std::int64_t exp = 0;
    if (__builtin_add_overflow(now_s, ttl_s, &exp)) exp = std::numeric_limits<std::int64_t>::max();

    Poco::JSON::Object body;
    body.set("mth", "GET");
    body.set("url", std::string(join_url));
    body.set("exp", static_cast<Poco::Int64>(exp));
    std::ostringstream json;
    body.stringify(json);

    std::string blob = support::base64UrlEncode(json.str());
    const std::string signature = support::hmac(support::JwtAlgorithm::Hs256, deriveKey(jwt_secret), blob);
    blob.push_back('.');
    blob += support::base64UrlEncode(signature);
    return blob;
}

std::optional<std::string> openRetryJoinBlob(std::string_view blob, std::string_view jwt_secret, std::int64_t now_s,
                                             std::string_view previous_jwt_secret) {
    if (jwt_secret.empty() || blob.empty() || blob.size() > kMaxBlobLength) return std::nullopt;
    const std::size_t dot = blob.find('.');
    if (dot == std::string_view::npos || blob.find('.', dot + 1) != std::string_view::npos) return std::nullopt;
    const std::string_view payload_part = blob.substr(0, dot);
    const auto signature = support::base64UrlDecode(blob.substr(dot + 1));
    if (payload_part.empty() || !signature) return std::nullopt;

    // Authenticate before parsing anything.
    const auto keys =
        support::deriveVerificationKeys(jwt_secret, previous_jwt_secret, support::KeyPurpose::RetryJoinLink);
    const bool genuine = support::anyKeyMatches(keys, [&](std::string_view key) {
        return support::constantTimeEquals(support::hmac(support::JwtAlgorithm::Hs256, key, payload_part), *signature);
    });
    if (!genuine) return std::nullopt;

    try {
        return openVerified(payload_part, now_s);
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const Poco::Exception&) {
        return std::nullopt;  // signed by us but unreadable: only a bug could get here
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace b3s::core::gateway
