#pragma once
// Server-side checksum verification exactly as bbb-web does it (bbb-api.md §2.2): on the
// raw query string as received, with the checksum text cut out literally, the hash chosen
// by the checksum's length, compared ignoring case. Written independently of sign_query.

#include "fake_bbb/query_params.hpp"
#include "fake_bbb/sign_query.hpp"

#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace b3s::test::bbb {

class ChecksumVerifier {
public:
    ChecksumVerifier(std::string secret, std::set<ChecksumAlgorithm> supported, bool acceptSortedParams);

    /// True when `checksum` signs `call` + `rawQuery`-minus-checksum with the secret. With
    /// an empty secret checking is off and everything passes, as in bbb-web. `params` are
    /// the decoded URL+body parameters, used only by the legacy sorted-parameters variant.
    bool verify(std::string_view call, std::string_view rawQuery, std::string_view checksum,
                const QueryParams& params) const;

    /// bbb-web's three literal replacements, in order: "&checksum=V", "checksum=V&",
    /// "checksum=V" (each replaces every occurrence, like Java's String.replace).
    static std::string removeChecksum(std::string_view rawQuery, std::string_view checksum);
    /// 40 → sha1, 64 → sha256, 96 → sha384, 128 → sha512; anything else → nullopt.
    static std::optional<ChecksumAlgorithm> algorithmForLength(std::size_t length);
    /// hex(HASH(data)) through OpenSSL (Poco::Crypto).
    static std::string digestHex(ChecksumAlgorithm algorithm, std::string_view data);
    /// The 2.5–2.7 form-POST variant: every parameter but checksum, sorted by name, values
    /// encoded like Java's URLEncoder, joined with '&'.
    static std::string sortedParamsQuery(const QueryParams& params);

private:
    bool matches(std::string_view call, std::string_view query, std::string_view checksum,
                 ChecksumAlgorithm algorithm) const;

    std::string secret_;
    std::set<ChecksumAlgorithm> supported_;
    bool acceptSortedParams_;
};

}  // namespace b3s::test::bbb
