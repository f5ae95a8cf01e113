#pragma once
// The BBB API checksum, verified the way bbb-web does it and computed for signing.
//
//   checksum = hex( HASH( callName + query + secret ) )
//
// Verification works on the raw, undecoded query string: the checksum parameter's text is
// removed literally (never re-encoded), so every encoding a client may choose verifies.
// The algorithm is chosen by the length of the checksum: 40 → SHA-1, 64 → SHA-256,
// 96 → SHA-384, 128 → SHA-512.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace b3s::core::bbb {

enum class ChecksumAlgorithm : std::uint8_t { Sha1, Sha256, Sha384, Sha512 };

/// A set of algorithms as a bit mask (bbb-web's `supportedChecksumAlgorithms`).
using ChecksumAlgorithmSet = std::uint8_t;
constexpr ChecksumAlgorithmSet checksumAlgorithmBit(ChecksumAlgorithm algorithm) noexcept {
    return static_cast<ChecksumAlgorithmSet>(1u << static_cast<unsigned>(algorithm));
}
/// bbb-web's default: all four.
inline constexpr ChecksumAlgorithmSet kAllChecksumAlgorithms = 0x0F;

/// "sha1", "sha256", "sha384" or "sha512" (bbb-web's spelling). Pure, never fails.
const char* toString(ChecksumAlgorithm algorithm) noexcept;
/// The algorithm of that name (bbb-web's spelling, lower case), nullopt for any other.
std::optional<ChecksumAlgorithm> checksumAlgorithmNamed(std::string_view name) noexcept;
/// Number of hex characters of a checksum made with `algorithm` (40, 64, 96, 128).
/// Pure, never fails.
std::size_t hexLength(ChecksumAlgorithm algorithm) noexcept;
/// The algorithm bbb-web infers from a checksum of `length` hex characters, or nullopt for
/// any other length. Pure, never fails.
std::optional<ChecksumAlgorithm> algorithmForLength(std::size_t length) noexcept;

/// Why verification failed. Callers answer every failure with `checksumError`; the reason
/// is for logs only (it must not reach the client).
enum class ChecksumFailure {
    None,
    Missing,              ///< no `checksum` parameter, or an empty value
    UnsupportedLength,    ///< length is not 40, 64, 96 or 128
    NotHex,               ///< a character outside 0-9 a-f A-F
    AlgorithmNotAllowed,  ///< the length picks an algorithm outside the allowed set
    EmptySecret,          ///< the secret is empty (bbb-web would skip the check; we refuse)
    Mismatch,             ///< well-formed, but not the checksum of this call
};

/// Stable lower-case name of a failure, for logs. Pure, never fails.
const char* toString(ChecksumFailure failure) noexcept;

struct ChecksumResult {
    bool ok = false;
    /// The algorithm inferred from the length; nullopt when the length picked none.
    std::optional<ChecksumAlgorithm> algorithm;
    ChecksumFailure failure = ChecksumFailure::Missing;
};

/// Verifies a BBB call exactly as bbb-web does:
///  1. the value V of the first parameter whose raw name is `checksum` is taken from
///     `rawQuery` (raw text up to the next `&`);
///  2. the literal texts `&checksum=V`, then `checksum=V&`, then `checksum=V` are removed
///     (every occurrence, in that order — Java's String.replace);
///  3. the algorithm is chosen by len(V) and must be in `allowed`;
///  4. hex(HASH(callName + rest + secret)) is compared with V, ignoring case, in constant
///     time (every byte is compared; only the public lengths influence timing).
/// `callName` is the path segment after `/api/` (`create`, or `hooks/create` for webhooks).
/// An empty `secret` fails with EmptySecret: bbb-web turns checking off then, but a gateway
/// must never accept unsigned calls because a tenant's secret is missing.
/// Errors: reported in the result, never thrown. Thread-safety: pure function.
ChecksumResult verifyChecksum(std::string_view callName, std::string_view rawQuery, std::string_view secret,
                              ChecksumAlgorithmSet allowed = kAllChecksumAlgorithms);

/// Computes the checksum of `callName + query + secret` as lowercase hex, where `query` is
/// the exact query string that will be sent (without the checksum parameter).
/// Errors: none. Thread-safety: pure function.
std::string signQuery(std::string_view callName, std::string_view query, std::string_view secret,
                      ChecksumAlgorithm algorithm);

/// Removes the checksum parameter's text from `rawQuery` as bbb-web does (step 2 above)
/// and returns the rest; `checksum` is the raw value V. Exposed for tests and diagnostics.
/// Thread-safety: pure function.
std::string removeChecksumText(std::string_view rawQuery, std::string_view checksum);

/// The raw value of the first parameter named exactly `checksum` in `rawQuery`, or nullopt
/// when there is none. A segment `checksum` without `=` yields an empty value.
/// Thread-safety: pure function.
std::optional<std::string_view> findRawChecksum(std::string_view rawQuery) noexcept;

}  // namespace b3s::core::bbb
