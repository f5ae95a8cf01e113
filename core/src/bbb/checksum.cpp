#include "bbb/checksum.hpp"

#include <Poco/SHA1Engine.h>
#include <Poco/SHA2Engine.h>

#include <algorithm>
#include <array>
#include <cstddef>

namespace b3s::core::bbb {

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr std::size_t kMaxHexLength = 128;

inline bool isHex(char c) noexcept {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Poco's own SHA-1/SHA-2 (libPocoFoundation, which b3s_core links already); hashing the
// three parts in turn avoids concatenating them.
template <typename Engine>
std::size_t digestHex(Engine& engine, std::string_view a, std::string_view b, std::string_view c,
                      std::array<char, kMaxHexLength>& hex) {
    engine.update(a.data(), a.size());
    engine.update(b.data(), b.size());
    engine.update(c.data(), c.size());
    const auto& digest = engine.digest();
    std::size_t n = 0;
    for (const unsigned char byte : digest) {
        hex[n++] = kHexDigits[byte >> 4];
        hex[n++] = kHexDigits[byte & 0x0F];
    }
    return n;
}

std::size_t computeHex(ChecksumAlgorithm algorithm, std::string_view callName, std::string_view query,
                       std::string_view secret, std::array<char, kMaxHexLength>& hex) {
    switch (algorithm) {
        case ChecksumAlgorithm::Sha1: {
            Poco::SHA1Engine engine;
            return digestHex(engine, callName, query, secret, hex);
        }
        case ChecksumAlgorithm::Sha256: {
            Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
            return digestHex(engine, callName, query, secret, hex);
        }
        case ChecksumAlgorithm::Sha384: {
            Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_384);
            return digestHex(engine, callName, query, secret, hex);
        }
        case ChecksumAlgorithm::Sha512: {
            Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_512);
            return digestHex(engine, callName, query, secret, hex);
        }
    }
    return 0;
}

// Java's String.replace(target, "") on a std::string: every non-overlapping occurrence,
// scanning left to right, compacted in place (bytes only ever move left).
void removeAll(std::string& text, std::string_view target) {
    std::size_t hit = text.find(target);
    if (hit == std::string::npos) return;
    std::size_t out = hit;
    std::size_t in = hit + target.size();
    while ((hit = text.find(target, in)) != std::string::npos) {
        out = static_cast<std::size_t>(std::copy(text.begin() + static_cast<std::ptrdiff_t>(in),
                                                 text.begin() + static_cast<std::ptrdiff_t>(hit),
                                                 text.begin() + static_cast<std::ptrdiff_t>(out)) -
                                       text.begin());
        in = hit + target.size();
    }
    out = static_cast<std::size_t>(std::copy(text.begin() + static_cast<std::ptrdiff_t>(in), text.end(),
                                             text.begin() + static_cast<std::ptrdiff_t>(out)) -
                                   text.begin());
    text.resize(out);
}

}  // namespace

const char* toString(ChecksumAlgorithm algorithm) noexcept {
    switch (algorithm) {
        case ChecksumAlgorithm::Sha1: return "sha1";
        case ChecksumAlgorithm::Sha256: return "sha256";
        case ChecksumAlgorithm::Sha384: return "sha384";
        case ChecksumAlgorithm::Sha512: return "sha512";
    }
    return "unknown";
}

std::optional<ChecksumAlgorithm> checksumAlgorithmNamed(std::string_view name) noexcept {
    for (const auto algorithm :
         {ChecksumAlgorithm::Sha1, ChecksumAlgorithm::Sha256, ChecksumAlgorithm::Sha384, ChecksumAlgorithm::Sha512})
        if (name == toString(algorithm)) return algorithm;
    return std::nullopt;
}

std::size_t hexLength(ChecksumAlgorithm algorithm) noexcept {
    switch (algorithm) {
        case ChecksumAlgorithm::Sha1: return 40;
        case ChecksumAlgorithm::Sha256: return 64;
        case ChecksumAlgorithm::Sha384: return 96;
        case ChecksumAlgorithm::Sha512: return 128;
    }
    return 0;
}

std::optional<ChecksumAlgorithm> algorithmForLength(std::size_t length) noexcept {
    switch (length) {
        case 40: return ChecksumAlgorithm::Sha1;
        case 64: return ChecksumAlgorithm::Sha256;
        case 96: return ChecksumAlgorithm::Sha384;
        case 128: return ChecksumAlgorithm::Sha512;
        default: return std::nullopt;
    }
}

const char* toString(ChecksumFailure failure) noexcept {
    switch (failure) {
        case ChecksumFailure::None: return "none";
        case ChecksumFailure::Missing: return "missing";
        case ChecksumFailure::UnsupportedLength: return "unsupported_length";
        case ChecksumFailure::NotHex: return "not_hex";
        case ChecksumFailure::AlgorithmNotAllowed: return "algorithm_not_allowed";
        case ChecksumFailure::EmptySecret: return "empty_secret";
        case ChecksumFailure::Mismatch: return "mismatch";
    }
    return "unknown";
}

std::optional<std::string_view> findRawChecksum(std::string_view rawQuery) noexcept {
    constexpr std::string_view kName = "checksum";
    std::size_t pos = 0;
    while (pos <= rawQuery.size()) {
        std::size_t amp = rawQuery.find('&', pos);
        if (amp == std::string_view::npos) amp = rawQuery.size();
        const std::string_view segment = rawQuery.substr(pos, amp - pos);
        if (segment.starts_with(kName)) {
            if (segment.size() == kName.size()) return std::string_view{};
            if (segment[kName.size()] == '=') return segment.substr(kName.size() + 1);
        }
        pos = amp + 1;
    }
    return std::nullopt;
}

std::string removeChecksumText(std::string_view rawQuery, std::string_view checksum) {
    std::string rest(rawQuery);
    // "&checksum=V&" laid out once; the three targets are views into it. Verification only
    // ever passes V of at most 128 characters, which fits the stack buffer.
    constexpr std::string_view kPrefix = "&checksum=";
    std::array<char, kPrefix.size() + kMaxHexLength + 1> stack{};
    std::string heap;
    char* buffer = stack.data();
    const std::size_t length = kPrefix.size() + checksum.size() + 1;
    if (length > stack.size()) {
        heap.resize(length);
        buffer = heap.data();
    }
    std::copy(kPrefix.begin(), kPrefix.end(), buffer);
    std::copy(checksum.begin(), checksum.end(), buffer + kPrefix.size());
    buffer[length - 1] = '&';
    const std::string_view all(buffer, length);
    removeAll(rest, all.substr(0, length - 1));  // &checksum=V
    removeAll(rest, all.substr(1));              // checksum=V&
    removeAll(rest, all.substr(1, length - 2));  // checksum=V
    return rest;
}

ChecksumResult verifyChecksum(std::string_view callName, std::string_view rawQuery, std::string_view secret,
                              ChecksumAlgorithmSet allowed) {
    ChecksumResult result;
    const auto checksum = findRawChecksum(rawQuery);
    if (!checksum || checksum->empty()) return result;  // Missing

    result.algorithm = algorithmForLength(checksum->size());
    if (!result.algorithm) {
        result.failure = ChecksumFailure::UnsupportedLength;
        return result;
    }
    // Validating the characters first keeps the comparison below exact: `c | 0x20` folds
    // A-F onto a-f and leaves digits alone, but would also fold some control bytes onto
    // digits. The check looks only at client input, so it leaks nothing about the digest.
    for (const char c : *checksum) {
        if (!isHex(c)) {
            result.failure = ChecksumFailure::NotHex;
            return result;
        }
    }
    if ((allowed & checksumAlgorithmBit(*result.algorithm)) == 0) {
        result.failure = ChecksumFailure::AlgorithmNotAllowed;
        return result;
    }
    if (secret.empty()) {
        result.failure = ChecksumFailure::EmptySecret;
        return result;
    }

    const std::string rest = removeChecksumText(rawQuery, *checksum);
    std::array<char, kMaxHexLength> expected{};
    const std::size_t n = computeHex(*result.algorithm, callName, rest, secret, expected);

    // Constant time: no early exit, every byte of the equal-length strings is compared.
    unsigned diff = 0;
    for (std::size_t i = 0; i < n; ++i) {
        diff |= static_cast<unsigned>(static_cast<unsigned char>((*checksum)[i]) | 0x20u) ^
                static_cast<unsigned>(static_cast<unsigned char>(expected[i]));
    }
    if (diff != 0 || n != checksum->size()) {
        result.failure = ChecksumFailure::Mismatch;
        return result;
    }
    result.ok = true;
    result.failure = ChecksumFailure::None;
    return result;
}

std::string signQuery(std::string_view callName, std::string_view query, std::string_view secret,
                      ChecksumAlgorithm algorithm) {
    std::array<char, kMaxHexLength> hex{};
    const std::size_t n = computeHex(algorithm, callName, query, secret, hex);
    return std::string(hex.data(), n);
}

}  // namespace b3s::core::bbb
