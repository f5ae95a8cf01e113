#pragma once
// The files in tests/agent/fixtures (BBB's event JSON, /proc samples) and BBB events made from
// them with other ids.

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

namespace b3s::agent::test {

inline std::filesystem::path fixturePath(const std::string& name) {
    return std::filesystem::path(B3S_AGENT_FIXTURES) / name;
}

inline std::string fixtureText(const std::string& name) {
    std::ifstream in(fixturePath(name));
    if (!in) throw std::runtime_error("missing fixture " + name);
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
}

/// The ids the fixtures use (fixtures/README.md).
inline const std::string kFixtureMeeting = "183f0bf3a0982a127bdb8161e0c44eb696b3e75c-1718870400123";
inline const std::string kFixtureExternalMeeting = "random-8261497";
inline const std::string kFixtureUser = "w_0x7uz4vjgmnf";
inline const std::string kFixtureExternalUser = "ext-user-1";
inline const std::string kFixtureName = "Alice Example";

/// The fixture `<name>.json` with every occurrence of a fixture id replaced.
struct EventIds {
    std::string meeting = kFixtureMeeting;
    std::string external_meeting = kFixtureExternalMeeting;
    std::string user = kFixtureUser;
    std::string external_user = kFixtureExternalUser;
    std::string name = kFixtureName;
};

inline std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
    for (std::size_t pos = 0; (pos = text.find(from, pos)) != std::string::npos; pos += to.size())
        text.replace(pos, from.size(), to);
    return text;
}

inline std::string bbbEvent(const std::string& name, const EventIds& ids) {
    std::string text = fixtureText(name + ".json");
    text = replaceAll(text, kFixtureMeeting, ids.meeting);
    text = replaceAll(text, kFixtureExternalMeeting, ids.external_meeting);
    text = replaceAll(text, kFixtureExternalUser, ids.external_user);
    text = replaceAll(text, kFixtureUser, ids.user);
    text = replaceAll(text, kFixtureName, ids.name);
    return text;
}

}  // namespace b3s::agent::test
