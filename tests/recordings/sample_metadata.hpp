#pragma once
// A metadata.xml as BBB 2.7's recording scripts write it for a meeting created through
// b3scale (so the meeting id the backend saw is the frontend-encoded one).

#include "bbb/meeting_id_codec.hpp"

#include <string>

namespace b3s::core::recordings::test {

inline constexpr const char* kRecordId = "183f0bf3a0982a127bdb8161e0c44eb696b3e75c-1554230749920";
inline constexpr const char* kFrontendKey = "tenant1";
inline constexpr const char* kMeetingId = "room-42";

inline std::string encodedMeetingId() {
    return bbb::encodeMeetingId(kFrontendKey, kMeetingId);
}

/// The presentation format's metadata.xml; `format`, `processing_time` and `link` vary per format.
inline std::string sampleMetadataXml(const std::string& format = "presentation",
                                     const std::string& processing_time = "5429", const std::string& link = "") {
    const std::string id = kRecordId;
    const std::string meeting = encodedMeetingId();
    const std::string url = link.empty() ? "https://bbb1.example.com/playback/" + format + "/2.3/" + id : link;
    return R"(<?xml version="1.0" encoding="UTF-8"?>
<recording>
  <id>)" + id +
           R"(</id>
  <state>published</state>
  <published>true</published>
  <start_time>1554230749920</start_time>
  <end_time>1554230868742</end_time>
  <participants>3</participants>
  <meeting id=")" +
           id + R"(" externalId=")" + meeting + R"(" name="Fred's Room" breakout="false"/>
  <meta>
    <isBreakout>false</isBreakout>
    <meetingId>)" +
           meeting + R"(</meetingId>
    <meetingName><![CDATA[Fred's Room & <friends>]]></meetingName>
    <gl-listed>false</gl-listed>
    <bbb-origin>Greenlight</bbb-origin>
    <bbb-origin-version>v3</bbb-origin-version>
    <b3s-frontend>tenant1</b3s-frontend>
  </meta>
  <playback>
    <format>)" +
           format + R"(</format>
    <link>)" +
           url + R"(</link>
    <processing_time>)" +
           processing_time + R"(</processing_time>
    <duration>118822</duration>
    <extensions>
      <preview>
        <images>
          <image width="176" height="136" alt="Welcome to BigBlueButton">https://bbb1.example.com/presentation/)" +
           id + R"(/presentation/d2d9a672040fbde2a47a10bf6c37b6a4b5ae187f-1554230749929/thumbnails/thumb-1.png</image>
          <image width="176" height="136" alt="">https://bbb1.example.com/presentation/)" +
           id +
           R"(/presentation/d2d9a672040fbde2a47a10bf6c37b6a4b5ae187f-1554230749929/thumbnails/thumb-2.png</image>
        </images>
      </preview>
    </extensions>
    <size>1104836</size>
  </playback>
  <raw_size>951067</raw_size>
</recording>
)";
}

}  // namespace b3s::core::recordings::test
