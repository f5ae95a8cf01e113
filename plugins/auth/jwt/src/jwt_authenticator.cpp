#include "jwt_authenticator.hpp"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JWT/JWTException.h>
#include <Poco/JWT/Serializer.h>
#include <Poco/JWT/Token.h>

#include <algorithm>
#include <exception>
#include <optional>
#include <string>
#include <typeinfo>
#include <vector>

namespace b3s::auth::jwt {
namespace {

using Outcome = plugin::AuthResult::Outcome;

plugin::AuthResult reject(Outcome outcome, std::string reason) {
    plugin::AuthResult result;
    result.outcome = outcome;
    result.reason = std::move(reason);
    return result;
}

bool isBase64Url(std::string_view segment) {
    return std::all_of(segment.begin(), segment.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

struct Segments {
    std::string_view header, payload, signature;
};

// header.payload.signature with base64url text; the signature may be empty (alg "none").
std::optional<Segments> split(std::string_view token) {
    auto first = token.find('.');
    if (first == std::string_view::npos) return std::nullopt;
    auto second = token.find('.', first + 1);
    if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) return std::nullopt;
    Segments s{token.substr(0, first), token.substr(first + 1, second - first - 1), token.substr(second + 1)};
    if (s.header.empty() || s.payload.empty()) return std::nullopt;
    if (!isBase64Url(s.header) || !isBase64Url(s.payload) || !isBase64Url(s.signature)) return std::nullopt;
    return s;
}

enum class DateClaim { Absent, Invalid, Present };

// RFC 7519 NumericDate: integer or fractional seconds since the epoch.
DateClaim numericDate(const Poco::JSON::Object& payload, const std::string& claim, double& seconds) {
    if (!payload.has(claim)) return DateClaim::Absent;
    Poco::Dynamic::Var value = payload.get(claim);
    if (value.isEmpty() || !value.isNumeric() || value.isBoolean()) return DateClaim::Invalid;
    seconds = value.convert<double>();
    return DateClaim::Present;
}

// Absent claims read as "", claims of another JSON type are a malformed token.
std::optional<std::string> stringClaim(const Poco::JSON::Object& payload, const std::string& claim) {
    if (!payload.has(claim)) return std::string();
    Poco::Dynamic::Var value = payload.get(claim);
    if (value.isEmpty()) return std::string();
    if (!value.isString()) return std::nullopt;
    return value.extract<std::string>();
}

std::vector<std::string> splitScopes(const std::string& scope) {
    std::vector<std::string> scopes;
    std::size_t pos = 0;
    while (pos < scope.size()) {
        auto end = scope.find(' ', pos);
        if (end == std::string::npos) end = scope.size();
        if (end > pos) scopes.push_back(scope.substr(pos, end - pos));
        pos = end + 1;
    }
    return scopes;
}

}  // namespace

JwtAuthenticator::JwtAuthenticator(const Settings& settings, const plugin::Clock& clock, plugin::Logger& logger)
    : signer_(std::make_unique<Poco::JWT::Signer>(settings.secret)),
      leeway_seconds_(settings.leeway_seconds),
      clock_(clock),
      logger_(logger) {
    // Replaces Poco's default allow-list ({HS256}) rather than adding to it.
    signer_->setAlgorithms(settings.algorithms);
}

plugin::AuthResult JwtAuthenticator::verify(std::string_view token) const {
    // Per-request path: nothing may escape. Expected failures are results already; whatever
    // still throws is a bug worth an error line, but never a crash of the request thread.
    try {
        return verifyUnguarded(token);
    } catch (const Poco::Exception& e) {
        logger_.error("verify_failed", {{"exception", e.className()}});
    } catch (const std::exception& e) {
        logger_.error("verify_failed", {{"exception", typeid(e).name()}});
    }
    return reject(Outcome::Malformed, "the token could not be checked");
}

plugin::AuthResult JwtAuthenticator::verifyUnguarded(std::string_view token) const {
    if (token.size() > kMaxTokenBytes) return reject(Outcome::Malformed, "the token is too long");
    auto segments = split(token);
    if (!segments) return reject(Outcome::Malformed, "the token is not of the form header.payload.signature");

    Poco::JWT::Token parsed;
    if (segments->signature.empty()) {
        // An empty signature never verifies; with a readable header it is an unsigned ("none")
        // token, i.e. an algorithm problem, not garbage.
        try {
            Poco::JWT::Serializer::deserialize(std::string(segments->header));
        } catch (const Poco::Exception&) {
            return reject(Outcome::Malformed, "the token header cannot be decoded");
        }
        return reject(Outcome::BadSignature, "the token is not signed");
    }
    try {
        if (!signer_->tryVerify(std::string(token), parsed))
            return reject(Outcome::BadSignature, "the token signature does not match");
    } catch (const Poco::JWT::UnallowedAlgorithmException&) {
        return reject(Outcome::BadSignature, "the token's signing algorithm is not accepted");
    } catch (const Poco::JWT::UnsupportedAlgorithmException&) {
        return reject(Outcome::BadSignature, "the token's signing algorithm is not accepted");
    } catch (const Poco::Exception&) {
        // Poco's messages quote the token; ours must not.
        return reject(Outcome::Malformed, "the token cannot be decoded");
    }

    const Poco::JSON::Object& payload = parsed.payload();
    const double now = static_cast<double>(clock_.nowMicros()) / 1e6;
    const double leeway = static_cast<double>(leeway_seconds_);

    double exp = 0.0;
    switch (numericDate(payload, "exp", exp)) {
        case DateClaim::Invalid:
            return reject(Outcome::Malformed, "the token's exp claim is not a number");
        case DateClaim::Present:
            // RFC 7519 4.1.4: valid only while now is before exp.
            if (now >= exp + leeway) return reject(Outcome::Expired, "the token has expired");
            break;
        case DateClaim::Absent:
            break;  // b3scalectl tokens never expire
    }
    double nbf = 0.0;
    switch (numericDate(payload, "nbf", nbf)) {
        case DateClaim::Invalid:
            return reject(Outcome::Malformed, "the token's nbf claim is not a number");
        case DateClaim::Present:
            if (now + leeway < nbf) return reject(Outcome::NotYetValid, "the token is not valid yet");
            break;
        case DateClaim::Absent:
            break;
    }

    auto subject = stringClaim(payload, "sub");
    if (!subject) return reject(Outcome::Malformed, "the token's sub claim is not a string");
    auto scope = stringClaim(payload, "scope");
    if (!scope) return reject(Outcome::Malformed, "the token's scope claim is not a string");

    plugin::AuthResult result;
    result.outcome = Outcome::Valid;
    result.subject = std::move(*subject);
    result.scopes = splitScopes(*scope);
    result.reason = "the token is valid";
    return result;
}

std::unique_ptr<plugin::Authenticator> create(const plugin::Context& context) {
    Settings settings = parseSettings(context.config());
    std::string algorithms;
    for (const auto& a : settings.algorithms) algorithms += (algorithms.empty() ? "" : ",") + a;
    const std::string leeway = std::to_string(settings.leeway_seconds);
    context.logger().info("authenticator_ready", {{"algorithms", algorithms}, {"leeway_seconds", leeway}});
    return std::make_unique<JwtAuthenticator>(settings, context.clock(), context.logger());
}

}  // namespace b3s::auth::jwt
