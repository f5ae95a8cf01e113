#include "access_tokens.hpp"

#include "ctl_error.hpp"
#include "token_lifetime.hpp"

#include <b3s/support/hmac_jwt.hpp>
#include <b3s/support/purpose_keys.hpp>

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>

namespace b3s::ctl {

std::string mintAccessToken(const std::string& secret, const std::string& subject,
                            const std::vector<std::string>& scopes, std::int64_t issued_at,
                            std::optional<std::int64_t> expires_at) {
    if (secret.empty()) throw CtlError("secret should not be empty");
    std::string scope;
    for (const auto& s : scopes) scope += (scope.empty() ? "" : " ") + s;
    Poco::JSON::Object claims(Poco::JSON_PRESERVE_KEY_ORDER);
    claims.set("scope", scope);
    claims.set("sub", subject);
    claims.set("iat", static_cast<Poco::Int64>(issued_at));
    if (expires_at) claims.set("exp", static_cast<Poco::Int64>(*expires_at));
    claims.set("jti", support::randomToken(24));
    return support::signJwt(claims, support::derivePurposeKey(secret, support::KeyPurpose::AdminToken),
                            support::JwtAlgorithm::Hs384);
}

std::string mintAdminToken(const std::string& secret, std::int64_t issued_at) {
    return mintAccessToken(secret, kAdminSubject, {kAdminScope}, issued_at, issued_at + kOwnTokenLifetime.count());
}

bool ownTokenFresh(const std::string& token, std::int64_t now_s) {
    const auto claims = support::peekJwtClaims(token);
    if (!claims || !claims->has("exp")) return false;
    try {
        const auto exp = claims->get("exp");
        return exp.isInteger() && exp.convert<Poco::Int64>() - now_s > kOwnTokenRenewBefore.count();
    } catch (const Poco::Exception&) {
        return false;  // an `exp` beyond Int64: not one of ours
    }
}

std::vector<std::string> parseScopeList(const std::string& csv) {
    std::vector<std::string> scopes;
    std::size_t start = 0;
    while (start <= csv.size()) {
        const auto end = std::min(csv.find(',', start), csv.size());
        const std::string item = csv.substr(start, end - start);
        const auto first = item.find_first_not_of(" \t");
        if (first != std::string::npos) scopes.push_back(item.substr(first, item.find_last_not_of(" \t") - first + 1));
        start = end + 1;
    }
    return scopes;
}

}  // namespace b3s::ctl
