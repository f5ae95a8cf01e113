#include "fake_bbb/sign_query.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>
#include <Poco/SHA2Engine.h>

#include <memory>

namespace b3s::test::bbb {

std::string_view algorithmName(ChecksumAlgorithm algorithm) {
    switch (algorithm) {
        case ChecksumAlgorithm::sha1: return "sha1";
        case ChecksumAlgorithm::sha256: return "sha256";
        case ChecksumAlgorithm::sha384: return "sha384";
        case ChecksumAlgorithm::sha512: return "sha512";
    }
    return "sha1";
}

std::string checksumHex(std::string_view call, std::string_view query, std::string_view secret,
                        ChecksumAlgorithm algorithm) {
    std::unique_ptr<Poco::DigestEngine> engine;
    switch (algorithm) {
        case ChecksumAlgorithm::sha1: engine = std::make_unique<Poco::SHA1Engine>(); break;
        case ChecksumAlgorithm::sha256: engine = std::make_unique<Poco::SHA2Engine>(Poco::SHA2Engine::SHA_256); break;
        case ChecksumAlgorithm::sha384: engine = std::make_unique<Poco::SHA2Engine>(Poco::SHA2Engine::SHA_384); break;
        case ChecksumAlgorithm::sha512: engine = std::make_unique<Poco::SHA2Engine>(Poco::SHA2Engine::SHA_512); break;
    }
    engine->update(call.data(), static_cast<unsigned>(call.size()));
    engine->update(query.data(), static_cast<unsigned>(query.size()));
    engine->update(secret.data(), static_cast<unsigned>(secret.size()));
    return Poco::DigestEngine::digestToHex(engine->digest());
}

std::string signQuery(std::string_view call, std::string_view query, std::string_view secret,
                      ChecksumAlgorithm algorithm) {
    std::string out(query);
    if (!out.empty()) out += '&';
    out += "checksum=";
    out += checksumHex(call, query, secret, algorithm);
    return out;
}

std::string formEncode(std::string_view value) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(value.size() * 3);
    for (char c : value) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' || u == '_' ||
            u == '.' || u == '~') {
            out += c;
        } else if (u == ' ') {
            out += '+';
        } else {
            out += '%';
            out += kHex[u >> 4];
            out += kHex[u & 0x0F];
        }
    }
    return out;
}

std::string buildQuery(const std::vector<std::pair<std::string, std::string>>& params) {
    std::string out;
    for (const auto& [key, value] : params) {
        if (!out.empty()) out += '&';
        out += key;
        out += '=';
        out += formEncode(value);
    }
    return out;
}

}  // namespace b3s::test::bbb
