#pragma once
// Backend answers as the frontend must see them: every meeting id that b3scale encoded for
// the tenant (spec gateway §3.2) decoded again — in meetingID, parentMeetingID (breakouts)
// and join's meeting_id —, every callback-proxy URL (BBB shows the meta_ callbacks back in
// <metadata>) replaced by the frontend's own URL, so a tenant never holds a callback token,
// and the answer re-serialised through the one XML writer.

#include "bbb/xml_tree.hpp"
#include "gateway/bbb_ingress.hpp"

namespace b3s::core::gateway {

/// Decodes encoded ids in place, anywhere in the tree. Values that are not encoded ids
/// (internal ids, ids created elsewhere) are left as they are.
void decodeMeetingIds(bbb::XmlNode& answer);

/// The answer serialised; FAILED internalError when it cannot be written (an element name
/// that is not XML, which a parsed tree never has).
BbbAnswer xmlAnswer(const bbb::XmlNode& answer);

/// decodeMeetingIds(), bbb::revealCallbackUrls(), then xmlAnswer().
BbbAnswer decodedAnswer(bbb::XmlNode answer);

}  // namespace b3s::core::gateway
