#include "gateway/answer_rewrite.hpp"

#include "bbb/callback_proxy_url.hpp"
#include "bbb/meeting_id_codec.hpp"

namespace b3s::core::gateway {

void decodeMeetingIds(bbb::XmlNode& answer) {
    bbb::forEachElement(answer, [](bbb::XmlNode& node) {
        if (node.name != "meetingID" && node.name != "parentMeetingID" && node.name != "meeting_id") return;
        if (auto decoded = bbb::decodeMeetingId(node.textContent())) node.setText(std::move(*decoded));
    });
}

BbbAnswer xmlAnswer(const bbb::XmlNode& answer) {
    auto text = bbb::toXml(answer);
    if (!text) return BbbAnswer::failure(bbb::ApiError::backendAnswerUnreadable());
    return BbbAnswer::xml(std::move(*text));
}

BbbAnswer decodedAnswer(bbb::XmlNode answer) {
    decodeMeetingIds(answer);
    bbb::revealCallbackUrls(answer);
    return xmlAnswer(answer);
}

}  // namespace b3s::core::gateway
