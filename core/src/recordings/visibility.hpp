#pragma once
// A recording's visibility: b3scale's five names for combinations of BBB's state, published
// flag and two metadata entries (b3scale-admin §8.3):
//
//   visibility        state        published  meta gl-listed  meta protect
//   unpublished       unpublished  false      "false"         "false"
//   published         published    true       "false"         "false"
//   protected         published    true       "false"         "true"
//   public            published    true       "true"          "false"
//   public_protected  published    true       "true"          "true"
//
// gl-listed is Greenlight's "public" flag; protect makes getRecordings hand out protected
// links instead of the playback URLs.

#include "store/records.hpp"

#include <optional>
#include <string_view>

namespace b3s::core::recordings {

enum class Visibility { Unpublished, Published, Protected, Public, PublicProtected };

/// Metadata names the visibility is kept in.
inline constexpr std::string_view kListedMeta = "gl-listed";
inline constexpr std::string_view kProtectMeta = "protect";

/// Exactly one of the five lower-case names (unpublished, published, protected, public,
/// public_protected); nullopt for anything else. Pure.
std::optional<Visibility> parseVisibility(std::string_view name) noexcept;

/// The lower-case name. Pure.
std::string_view visibilityName(Visibility visibility) noexcept;

/// Sets state, published and the metadata entries gl-listed and protect of `recording` as the
/// table says ("true"/"false"). The metadata stays normalised. Returns whether anything changed.
bool apply(store::Recording& recording, Visibility visibility);

/// The visibility `recording` has. Combinations outside the table map to the closest one:
///   * not published: published == false or a state other than "published" (processing,
///     processed, deleted, or a published flag that disagrees with the state) → Unpublished,
///     whatever the metadata says, as such a recording is not played back to anyone;
///   * otherwise gl-listed and protect count as set only when exactly "true" (missing, "false",
///     "TRUE", anything else: not set), as getRecordings' protected-link rule reads protect.
/// Pure.
Visibility visibilityOf(const store::Recording& recording) noexcept;

}  // namespace b3s::core::recordings
