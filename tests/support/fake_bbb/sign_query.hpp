#pragma once
// Client-side BBB request signing for tests: what a BBB client library does (bbb-api.md §2.2).
// Deliberately independent of the fake server's own verifier (Poco's SHA engines here,
// OpenSSL through Poco::Crypto there), so a test that signs with this and is accepted by
// the server checks two implementations against each other.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace b3s::test::bbb {

enum class ChecksumAlgorithm { sha1, sha256, sha384, sha512 };

/// "sha1", "sha256", … (lower case).
std::string_view algorithmName(ChecksumAlgorithm algorithm);

/// lowercase_hex(HASH(call + query + secret)). `query` is the exact query string that will
/// be sent, without the checksum parameter (empty when there are no parameters).
std::string checksumHex(std::string_view call, std::string_view query, std::string_view secret,
                        ChecksumAlgorithm algorithm = ChecksumAlgorithm::sha1);

/// `query` with its checksum appended: "a=1&checksum=<hex>", or "checksum=<hex>" for an
/// empty query. Example: signQuery("getMeetings", "", secret) → "checksum=2027…".
std::string signQuery(std::string_view call, std::string_view query, std::string_view secret,
                      ChecksumAlgorithm algorithm = ChecksumAlgorithm::sha1);

/// Form-style escaping as most BBB clients do it: space → '+', A-Z a-z 0-9 - _ . ~ kept,
/// everything else %XX with upper-case hex.
std::string formEncode(std::string_view value);

/// "k1=v1&k2=v2" in the given order, values form-encoded, keys as given.
std::string buildQuery(const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace b3s::test::bbb
