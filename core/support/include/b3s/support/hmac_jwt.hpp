#pragma once
// JSON Web Tokens signed with HMAC (RFC 7519 / RFC 7515, HS256/HS384/HS512): the tokens
// b3scaled issues and checks itself (callback-proxy URLs, the recording-ready JWT a BBB
// server signs with its secret). Written here rather than taken from Poco::JWT because
// that compares signatures with `==`; everything secret-dependent below runs in constant time.
//
// Only the compact serialisation with an HMAC signature is supported; "none" and every
// asymmetric algorithm are refused, whatever the header says.

#include <Poco/JSON/Object.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace b3s::support {

enum class JwtAlgorithm { Hs256, Hs384, Hs512 };

/// "HS256", "HS384" or "HS512" (the JOSE `alg` spelling). Pure, never fails.
const char* toString(JwtAlgorithm algorithm) noexcept;

/// Tokens longer than this are refused as Malformed before anything is decoded, which
/// bounds the work an unauthenticated caller can cause. Ours are a few hundred bytes.
inline constexpr std::size_t kMaxJwtLength = std::size_t{64} * 1024;

/// Signs `claims` as a compact JWT: header {"alg":…,"typ":"JWT"}, payload = `claims`
/// serialised compactly, each base64url WITHOUT padding, signature = HMAC over
/// "header.payload" with `secret` as the key.
/// Errors: an empty `secret` throws std::invalid_argument — a token signed with an empty
/// key can be forged by anyone, and a loaded configuration never has one. Nothing else
/// is thrown except std::bad_alloc. Thread-safety: pure function (`claims` is only read).
std::string signJwt(const Poco::JSON::Object& claims, std::string_view secret, JwtAlgorithm algorithm);

/// What verifyJwt() found.
struct JwtCheck {
    enum class Outcome { Valid, Malformed, BadSignature, WrongAlgorithm, Expired, NotYetValid };
    Outcome outcome = Outcome::Malformed;
    Poco::JSON::Object::Ptr claims;  ///< set when the token decoded (also for Expired/NotYetValid), else null
    std::string reason;              ///< one sentence for logs, never containing the secret or the token
    bool valid() const noexcept { return outcome == Outcome::Valid; }
};

/// Stable lower-case name of an outcome, for logs ("valid", "bad_signature", …). Pure.
const char* toString(JwtCheck::Outcome outcome) noexcept;

/// Checks a compact JWT, in this order:
///  1. structure: three base64url (unpadded) parts, at most kMaxJwtLength, a header that is
///     a JSON object with a string `alg` and no `crit` → else Malformed;
///  2. `alg` is one of `accepted` → else WrongAlgorithm ("none", "RS256", … always are);
///  3. the HMAC of "header.payload" under `secret` equals the signature, compared in
///     constant time → else BadSignature (an empty `secret` always gives BadSignature);
///  4. the payload is a JSON object → else Malformed;
///  5. `exp`, when present, is a number > now_s - leeway_s → else Expired;
///     `nbf`, when present, is a number <= now_s + leeway_s → else NotYetValid;
///     either present but not a number (a string, a boolean, null) → Malformed.
/// `claims` is set from step 5 on, so a caller never sees unauthenticated claims (use
/// peekJwtClaims() for that). A negative `leeway_s` counts as 0.
/// Errors: reported in the result; never throws except std::bad_alloc.
/// Thread-safety: pure function.
JwtCheck verifyJwt(std::string_view token, std::string_view secret, std::initializer_list<JwtAlgorithm> accepted,
                   std::int64_t now_s, std::int64_t leeway_s = 0);

/// Decodes the payload without checking anything (to read which key a token needs). The
/// claims are NOT authenticated. nullptr when `token` is not three dot-separated parts
/// whose middle one is base64url of a JSON object. Never throws except std::bad_alloc.
/// Thread-safety: pure function.
Poco::JSON::Object::Ptr peekJwtClaims(std::string_view token);

/// Constant-time equality of two byte strings: the time depends on the lengths only
/// (which may leak), never on where the first difference is. Pure.
bool constantTimeEquals(std::string_view a, std::string_view b) noexcept;

/// `length` characters from [A-Za-z0-9_-], each uniformly distributed, read from the
/// kernel's CSPRNG (getrandom(2), /dev/urandom as a fallback).
/// Errors: std::system_error when neither source can be read — there is no weak fallback.
/// Thread-safety: safe to call from any thread.
std::string randomToken(std::size_t length);

/// Base64url without padding (RFC 7515 §2). Pure.
std::string base64UrlEncode(std::string_view data);

/// Decodes unpadded base64url. nullopt on `=` anywhere, a character outside the alphabet,
/// an impossible length (len % 4 == 1) or non-zero unused bits in the last character, so
/// every byte string has exactly one accepted spelling. Pure, never throws except
/// std::bad_alloc.
std::optional<std::string> base64UrlDecode(std::string_view text);

/// HMAC (RFC 2104) with SHA-256, SHA-384 or SHA-512 as `algorithm` selects; the raw digest
/// (32, 48 or 64 bytes). Pure.
std::string hmac(JwtAlgorithm algorithm, std::string_view key, std::string_view data);

}  // namespace b3s::support
