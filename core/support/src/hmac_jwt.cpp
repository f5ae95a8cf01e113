#include <b3s/support/hmac_jwt.hpp>

#include <b3s/support/base64url.hpp>

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA2Engine.h>

#include <sys/random.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <fstream>
#include <limits>
#include <new>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <typeinfo>

namespace b3s::support {

namespace {

constexpr std::size_t kMaxBlockSize = 128;

struct HashSpec {
    Poco::SHA2Engine::ALGORITHM engine;
    std::size_t block_size;
};

HashSpec hashSpec(JwtAlgorithm algorithm) noexcept {
    switch (algorithm) {
        case JwtAlgorithm::Hs256: return {Poco::SHA2Engine::SHA_256, 64};
        case JwtAlgorithm::Hs384: return {Poco::SHA2Engine::SHA_384, 128};
        case JwtAlgorithm::Hs512: return {Poco::SHA2Engine::SHA_512, 128};
    }
    return {Poco::SHA2Engine::SHA_256, 64};
}

std::optional<JwtAlgorithm> algorithmFromName(std::string_view name) noexcept {
    if (name == "HS256") return JwtAlgorithm::Hs256;
    if (name == "HS384") return JwtAlgorithm::Hs384;
    if (name == "HS512") return JwtAlgorithm::Hs512;
    return std::nullopt;
}

// The header's alg is attacker-controlled; only a short, plainly printable spelling goes into a log line.
std::string printableAlg(std::string_view alg) {
    constexpr std::size_t kMaxShown = 20;
    const bool plain = !alg.empty() && alg.size() <= kMaxShown && std::all_of(alg.begin(), alg.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
               c == '+' || c == '.';
    });
    return plain ? "\"" + std::string(alg) + "\"" : std::string("(unprintable)");
}

Poco::JSON::Object::Ptr parseObject(std::string_view json) {
    try {
        Poco::JSON::Parser parser;
        const Poco::Dynamic::Var value = parser.parse(std::string(json));
        if (value.type() != typeid(Poco::JSON::Object::Ptr)) return nullptr;
        return value.extract<Poco::JSON::Object::Ptr>();
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const Poco::Exception&) {
        return nullptr;  // not JSON: the caller reports it as malformed
    } catch (const std::exception&) {
        return nullptr;
    }
}

struct JwtParts {
    std::string_view header;
    std::string_view payload;
    std::string_view signature;
};

std::optional<JwtParts> splitJwt(std::string_view token) noexcept {
    const std::size_t first = token.find('.');
    if (first == std::string_view::npos) return std::nullopt;
    const std::size_t second = token.find('.', first + 1);
    if (second == std::string_view::npos) return std::nullopt;
    if (token.find('.', second + 1) != std::string_view::npos) return std::nullopt;
    return JwtParts{token.substr(0, first), token.substr(first + 1, second - first - 1), token.substr(second + 1)};
}

std::int64_t saturatingAdd(std::int64_t a, std::int64_t b) noexcept {
    std::int64_t sum = 0;
    if (!__builtin_add_overflow(a, b, &sum)) return sum;
    return b > 0 ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
}

// -1, 0 or 1 as a NumericDate compares with `limit`; nullopt when it is not a JSON number.
// Poco reports booleans as integers, so they are ruled out first.
std::optional<int> compareNumericDate(const Poco::Dynamic::Var& value, std::int64_t limit) {
    if (value.isEmpty() || value.isBoolean() || !value.isNumeric()) return std::nullopt;
    const auto order = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
    if (value.isInteger()) {
        if (value.isSigned()) return order(value.convert<Poco::Int64>(), limit);
        const auto unsigned_value = value.convert<Poco::UInt64>();
        if (unsigned_value > static_cast<Poco::UInt64>(std::numeric_limits<std::int64_t>::max())) return 1;
        return order(static_cast<std::int64_t>(unsigned_value), limit);
    }
    // Fractional NumericDates are allowed (RFC 7519 §2); current times are far below 2^53.
    return order(value.convert<double>(), static_cast<double>(limit));
}

JwtCheck failure(JwtCheck::Outcome outcome, std::string reason) {
    JwtCheck check;
    check.outcome = outcome;
    check.reason = std::move(reason);
    return check;
}

JwtCheck verifyJwtUnguarded(std::string_view token, std::string_view secret,
                            std::initializer_list<JwtAlgorithm> accepted, std::int64_t now_s, std::int64_t leeway_s) {
    using Outcome = JwtCheck::Outcome;
    if (token.size() > kMaxJwtLength) return failure(Outcome::Malformed, "token is longer than the accepted maximum");
    const auto parts = splitJwt(token);
    if (!parts) return failure(Outcome::Malformed, "token is not three dot-separated parts");
    const auto header_json = base64UrlDecode(parts->header);
    const auto payload_json = base64UrlDecode(parts->payload);
    const auto signature = base64UrlDecode(parts->signature);
    if (!header_json || !payload_json || !signature)
        return failure(Outcome::Malformed, "token part is not unpadded base64url");

    const auto header = parseObject(*header_json);
    if (!header) return failure(Outcome::Malformed, "token header is not a JSON object");
    const Poco::Dynamic::Var alg_value = header->get("alg");
    if (alg_value.isEmpty() || !alg_value.isString())
        return failure(Outcome::Malformed, "token header has no string alg");
    // RFC 7515 §4.1.11: extensions we do not understand must not be ignored.
    if (header->has("crit")) return failure(Outcome::Malformed, "token header lists critical extensions");

    const std::string alg_name = alg_value.convert<std::string>();
    const auto algorithm = algorithmFromName(alg_name);
    if (!algorithm || std::find(accepted.begin(), accepted.end(), *algorithm) == accepted.end())
        return failure(Outcome::WrongAlgorithm, "token alg " + printableAlg(alg_name) + " is not accepted");

    if (secret.empty()) return failure(Outcome::BadSignature, "no secret to check the signature against");
    const std::size_t signed_length = parts->header.size() + 1 + parts->payload.size();
    const std::string expected = hmac(*algorithm, secret, token.substr(0, signed_length));
    if (!constantTimeEquals(expected, *signature))
        return failure(Outcome::BadSignature, "token signature does not match");

    auto claims = parseObject(*payload_json);
    if (!claims) return failure(Outcome::Malformed, "token payload is not a JSON object");

    const std::int64_t leeway = std::max<std::int64_t>(leeway_s, 0);
    const std::int64_t exp_limit = saturatingAdd(now_s, -leeway);
    const std::int64_t nbf_limit = saturatingAdd(now_s, leeway);
    std::optional<int> exp_order;
    std::optional<int> nbf_order;
    if (claims->has("exp")) {
        exp_order = compareNumericDate(claims->get("exp"), exp_limit);
        if (!exp_order) return failure(Outcome::Malformed, "token exp is not a number");
    }
    if (claims->has("nbf")) {
        nbf_order = compareNumericDate(claims->get("nbf"), nbf_limit);
        if (!nbf_order) return failure(Outcome::Malformed, "token nbf is not a number");
    }

    JwtCheck check;
    check.claims = std::move(claims);
    if (exp_order && *exp_order <= 0) {
        check.outcome = Outcome::Expired;
        check.reason = "token expired at " + check.claims->get("exp").toString() + " (now " + std::to_string(now_s) +
                       ", leeway " + std::to_string(leeway) + " s)";
    } else if (nbf_order && *nbf_order > 0) {
        check.outcome = Outcome::NotYetValid;
        check.reason = "token is not valid before " + check.claims->get("nbf").toString() + " (now " +
                       std::to_string(now_s) + ", leeway " + std::to_string(leeway) + " s)";
    } else {
        check.outcome = Outcome::Valid;
        check.reason = "token is valid";
    }
    return check;
}

void readUrandom(unsigned char* out, std::size_t length) {
    std::ifstream device("/dev/urandom", std::ios::binary);
    if (device && device.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(length))) return;
    throw std::system_error(errno != 0 ? errno : EIO, std::generic_category(), "cannot read /dev/urandom");
}

// The kernel CSPRNG; Poco::RandomInputStream is not used because it quietly falls back to a
// non-cryptographic generator when /dev/urandom cannot be opened.
void fillRandom(unsigned char* out, std::size_t length) {
    while (length > 0) {
        const ssize_t n = ::getrandom(out, length, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == ENOSYS) return readUrandom(out, length);
            throw std::system_error(errno, std::generic_category(), "getrandom failed");
        }
        out += n;
        length -= static_cast<std::size_t>(n);
    }
}

}  // namespace

const char* toString(JwtAlgorithm algorithm) noexcept {
    switch (algorithm) {
        case JwtAlgorithm::Hs256: return "HS256";
        case JwtAlgorithm::Hs384: return "HS384";
        case JwtAlgorithm::Hs512: return "HS512";
    }
    return "unknown";
}

const char* toString(JwtCheck::Outcome outcome) noexcept {
    switch (outcome) {
        case JwtCheck::Outcome::Valid: return "valid";
        case JwtCheck::Outcome::Malformed: return "malformed";
        case JwtCheck::Outcome::BadSignature: return "bad_signature";
        case JwtCheck::Outcome::WrongAlgorithm: return "wrong_algorithm";
        case JwtCheck::Outcome::Expired: return "expired";
        case JwtCheck::Outcome::NotYetValid: return "not_yet_valid";
    }
    return "unknown";
}

std::string hmac(JwtAlgorithm algorithm, std::string_view key, std::string_view data) {
    const HashSpec spec = hashSpec(algorithm);
    Poco::SHA2Engine engine(spec.engine);

    // RFC 2104: a key longer than a block is replaced by its hash, then zero-padded.
    std::array<unsigned char, kMaxBlockSize> block{};
    if (key.size() > spec.block_size) {
        engine.update(key.data(), key.size());
        const auto& digest = engine.digest();
        std::copy(digest.begin(), digest.end(), block.begin());
    } else {
        std::copy(key.begin(), key.end(), block.begin());
    }

    std::array<unsigned char, kMaxBlockSize> pad{};
    for (std::size_t i = 0; i < spec.block_size; ++i) pad[i] = block[i] ^ 0x36u;
    engine.update(pad.data(), spec.block_size);
    engine.update(data.data(), data.size());
    const Poco::DigestEngine::Digest inner = engine.digest();

    for (std::size_t i = 0; i < spec.block_size; ++i) pad[i] = block[i] ^ 0x5Cu;
    engine.update(pad.data(), spec.block_size);
    engine.update(inner.data(), inner.size());
    const auto& outer = engine.digest();
    return std::string(outer.begin(), outer.end());
}

bool constantTimeEquals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    unsigned diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff |= static_cast<unsigned>(static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]));
    }
    return diff == 0;
}

std::string base64UrlEncode(std::string_view data) {
    std::string out;
    appendBase64Url(out, data, /*padded=*/false);
    return out;
}

std::optional<std::string> base64UrlDecode(std::string_view text) {
    if (text.size() % 4 == 1) return std::nullopt;
    std::string out;
    out.reserve(text.size() / 4 * 3 + 2);
    std::uint32_t bits = 0;
    int bit_count = 0;
    for (const char c : text) {
        const std::int8_t d = kBase64UrlValue[static_cast<unsigned char>(c)];
        if (d < 0) return std::nullopt;  // also `=`: padding is not part of this encoding
        bits = (bits << 6) | static_cast<std::uint32_t>(d);
        bit_count += 6;
        if (bit_count >= 8) {
            bit_count -= 8;
            out.push_back(static_cast<char>((bits >> bit_count) & 0xFF));
            bits &= (1u << bit_count) - 1;
        }
    }
    // Left-over bits must be zero, otherwise two spellings would decode to the same bytes.
    if (bits != 0) return std::nullopt;
    return out;
}

std::string randomToken(std::size_t length) {
    std::string token(length, '\0');
    auto* bytes = reinterpret_cast<unsigned char*>(token.data());
    fillRandom(bytes, length);
    // 256 is a multiple of 64, so masking keeps every character equally likely.
    for (auto& c : token) c = kBase64UrlAlphabet[static_cast<unsigned char>(c) & 0x3F];
    return token;
}

std::string signJwt(const Poco::JSON::Object& claims, std::string_view secret, JwtAlgorithm algorithm) {
    if (secret.empty()) throw std::invalid_argument("signJwt: empty secret");
    std::string header = R"({"alg":")";
    header += toString(algorithm);
    header += R"(","typ":"JWT"})";
    std::ostringstream payload;
    claims.stringify(payload);

    std::string token = base64UrlEncode(header);
    token.push_back('.');
    token += base64UrlEncode(payload.str());
    const std::string signature = hmac(algorithm, secret, token);
    token.push_back('.');
    token += base64UrlEncode(signature);
    return token;
}

JwtCheck verifyJwt(std::string_view token, std::string_view secret, std::initializer_list<JwtAlgorithm> accepted,
                   std::int64_t now_s, std::int64_t leeway_s) {
    try {
        return verifyJwtUnguarded(token, secret, accepted, now_s, leeway_s);
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const Poco::Exception& e) {
        // A Var conversion that did not fit; Poco's message names types, not token content.
        return failure(JwtCheck::Outcome::Malformed, std::string("token could not be read: ") + e.className());
    } catch (const std::exception&) {
        return failure(JwtCheck::Outcome::Malformed, "token could not be read");
    }
}

Poco::JSON::Object::Ptr peekJwtClaims(std::string_view token) {
    if (token.size() > kMaxJwtLength) return nullptr;
    const auto parts = splitJwt(token);
    if (!parts) return nullptr;
    const auto payload = base64UrlDecode(parts->payload);
    if (!payload) return nullptr;
    return parseObject(*payload);
}

}  // namespace b3s::support
