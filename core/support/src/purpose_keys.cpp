#include <b3s/support/purpose_keys.hpp>

#include <b3s/support/hmac_jwt.hpp>

#include <stdexcept>

namespace b3s::support {

std::string_view toString(KeyPurpose purpose) noexcept {
    switch (purpose) {
        case KeyPurpose::AdminToken: return "admin-token";
        case KeyPurpose::CallbackToken: return "callback-token";
        case KeyPurpose::RetryJoinLink: return "retry-join-link";
        case KeyPurpose::RecordingLink: return "recording-link";
        case KeyPurpose::RecordingCookie: return "recording-cookie";
    }
    return "unknown";
}

std::string derivePurposeKey(std::string_view master, KeyPurpose purpose) {
    if (master.empty()) throw std::invalid_argument("derivePurposeKey: empty master secret");
    std::string label = "b3scale key v1 ";
    label += toString(purpose);
    return hmac(JwtAlgorithm::Hs256, master, label);
}

std::string secretLengthProblem(std::string_view variable, std::string_view secret) {
    if (secret.size() >= kMinSecretBytes) return {};
    std::string sentence(variable);
    sentence += " is ";
    sentence += std::to_string(secret.size());
    sentence += " bytes long; at least ";
    sentence += std::to_string(kMinSecretBytes);
    sentence += " are required (make one with `openssl rand -hex 32`)";
    return sentence;
}

}  // namespace b3s::support
