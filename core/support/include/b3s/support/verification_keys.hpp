#pragma once
// Rotating the master secret without breaking what the replaced one signed: while
// B3SCALE_API_JWT_SECRET_PREVIOUS holds the old master, a token, link or cookie of one purpose
// is accepted when either the current master's key of that purpose or the previous master's
// key of that same purpose verifies it. Everything new is signed with the current key only.
// Each verifier holds the two keys of its own purpose and never a master, so the purposes stay
// apart for the previous master too (a callback token of the old master opens no REST API).
// The one place the order "current, then previous" is written down.

#include <b3s/support/hmac_jwt.hpp>
#include <b3s/support/purpose_keys.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace b3s::support {

/// The keys that verify the tokens of one purpose. Signing uses `current` only.
struct VerificationKeys {
    std::string current;   ///< derivePurposeKey(master, purpose): signs and verifies
    std::string previous;  ///< derivePurposeKey(previous master, purpose), verifies only; empty: no rotation
};

/// Both keys of `purpose`. `previous_master` may be empty (then `previous` is).
/// Errors: std::invalid_argument for an empty `master` (derivePurposeKey). Pure, thread-safe.
VerificationKeys deriveVerificationKeys(std::string_view master, std::string_view previous_master, KeyPurpose purpose);

/// verifyJwt() under `keys.current`; only when that finds the signature wrong (BadSignature)
/// and there is a previous key, verifyJwt() under `keys.previous`. Every other outcome of the
/// current key is final (the token is unreadable, of a refused algorithm, or was signed with
/// the current key). Same contract as verifyJwt(): never throws except std::bad_alloc; pure.
JwtCheck verifyJwt(std::string_view token, const VerificationKeys& keys, std::initializer_list<JwtAlgorithm> accepted,
                   std::int64_t now_s, std::int64_t leeway_s = 0);

/// Whether `matches(key)` holds for the current key or, when there is one, the previous key:
/// for the MACs that are no JWTs (retry-join links, recording cookies). `matches` takes a
/// std::string_view key and must compare in constant time.
template <class Matches>
bool anyKeyMatches(const VerificationKeys& keys, Matches&& matches) {
    if (matches(std::string_view(keys.current))) return true;
    return !keys.previous.empty() && matches(std::string_view(keys.previous));
}

}  // namespace b3s::support
