#include <b3s/support/verification_keys.hpp>

namespace b3s::support {

VerificationKeys deriveVerificationKeys(std::string_view master, std::string_view previous_master, KeyPurpose purpose) {
    VerificationKeys keys;
    keys.current = derivePurposeKey(master, purpose);
    if (!previous_master.empty()) keys.previous = derivePurposeKey(previous_master, purpose);
    return keys;
}

JwtCheck verifyJwt(std::string_view token, const VerificationKeys& keys, std::initializer_list<JwtAlgorithm> accepted,
                   std::int64_t now_s, std::int64_t leeway_s) {
    auto check = verifyJwt(token, std::string_view(keys.current), accepted, now_s, leeway_s);
    if (check.outcome != JwtCheck::Outcome::BadSignature || keys.previous.empty()) return check;
    return verifyJwt(token, std::string_view(keys.previous), accepted, now_s, leeway_s);
}

}  // namespace b3s::support
