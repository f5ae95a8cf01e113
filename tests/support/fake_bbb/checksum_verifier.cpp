#include "fake_bbb/checksum_verifier.hpp"

#include <Poco/Crypto/DigestEngine.h>
#include <Poco/Crypto/OpenSSLInitializer.h>

#include <algorithm>
#include <map>

namespace b3s::test::bbb {

namespace {

void replaceAll(std::string& text, std::string_view what) {
    if (what.empty()) return;
    for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos)) text.erase(pos, what.size());
}

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Case-insensitive and without an early exit, so timing does not leak the prefix that
// matched (harmless in a fake, but this is the behaviour b3scale should copy).
bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned>(lower(a[i]) ^ lower(b[i]));
    return diff == 0;
}

std::string javaUrlEncode(std::string_view value) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : value) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '.' || u == '-' ||
            u == '*' || u == '_') {
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

}  // namespace

ChecksumVerifier::ChecksumVerifier(std::string secret, std::set<ChecksumAlgorithm> supported, bool acceptSortedParams)
    : secret_(std::move(secret)), supported_(std::move(supported)), acceptSortedParams_(acceptSortedParams) {}

std::string ChecksumVerifier::removeChecksum(std::string_view rawQuery, std::string_view checksum) {
    std::string out(rawQuery);
    const std::string value(checksum);
    replaceAll(out, "&checksum=" + value);
    replaceAll(out, "checksum=" + value + "&");
    replaceAll(out, "checksum=" + value);
    return out;
}

std::optional<ChecksumAlgorithm> ChecksumVerifier::algorithmForLength(std::size_t length) {
    switch (length) {
        case 40: return ChecksumAlgorithm::sha1;
        case 64: return ChecksumAlgorithm::sha256;
        case 96: return ChecksumAlgorithm::sha384;
        case 128: return ChecksumAlgorithm::sha512;
        default: return std::nullopt;
    }
}

std::string ChecksumVerifier::digestHex(ChecksumAlgorithm algorithm, std::string_view data) {
    static const std::map<ChecksumAlgorithm, std::string> kOpenSslNames = {{ChecksumAlgorithm::sha1, "SHA1"},
                                                                           {ChecksumAlgorithm::sha256, "SHA256"},
                                                                           {ChecksumAlgorithm::sha384, "SHA384"},
                                                                           {ChecksumAlgorithm::sha512, "SHA512"}};
    // Every DigestEngine initialises Poco's OpenSSL wrapper and releases it again; when the
    // count drops to zero on one thread while another engine starts, Poco frees what the other
    // is setting up (a crash under concurrent requests, seen with ThreadSanitizer). One
    // initialiser held for the life of the process keeps the count above zero.
    static const Poco::Crypto::OpenSSLInitializer kKeepOpenSslInitialised;
    Poco::Crypto::DigestEngine engine(kOpenSslNames.at(algorithm));
    engine.update(data.data(), static_cast<unsigned>(data.size()));
    return Poco::Crypto::DigestEngine::digestToHex(engine.digest());
}

std::string ChecksumVerifier::sortedParamsQuery(const QueryParams& params) {
    std::vector<std::pair<std::string, std::string>> sorted;
    for (const auto& entry : params.entries())
        if (entry.first != "checksum") sorted.push_back(entry);
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string out;
    for (const auto& [key, value] : sorted) {
        if (!out.empty()) out += '&';
        out += key;
        out += '=';
        out += javaUrlEncode(value);
    }
    return out;
}

bool ChecksumVerifier::matches(std::string_view call, std::string_view query, std::string_view checksum,
                               ChecksumAlgorithm algorithm) const {
    std::string data;
    data.reserve(call.size() + query.size() + secret_.size());
    data.append(call).append(query).append(secret_);
    return equalsIgnoreCase(digestHex(algorithm, data), checksum);
}

bool ChecksumVerifier::verify(std::string_view call, std::string_view rawQuery, std::string_view checksum,
                              const QueryParams& params) const {
    if (secret_.empty()) return true;
    if (checksum.empty()) return false;
    const auto algorithm = algorithmForLength(checksum.size());
    if (!algorithm || !supported_.contains(*algorithm)) return false;
    const std::string query = removeChecksum(rawQuery, checksum);
    if (matches(call, query, checksum, *algorithm)) return true;
    // Some 2.5–2.7 releases rebuilt a sorted query from URL and body parameters when the URL
    // carried nothing but the checksum; emulated only when asked for.
    if (acceptSortedParams_ && query.empty()) return matches(call, sortedParamsQuery(params), checksum, *algorithm);
    return false;
}

}  // namespace b3s::test::bbb
