#include "bbb/backend_url.hpp"

#include "bbb/query_string.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace b3s::core::bbb {
namespace {

constexpr std::string_view kSecret = "639259d4-9dd8-4b25-bf01-95f9567eaf4b";

ParamList params(std::vector<Param> entries) {
    return ParamList::fromEntries(std::move(entries));
}

TEST(BackendUrlTest, ReproducesTheGatewaySpecVectors) {
    const ParamList create = params(
        {{"name", "Test Meeting"}, {"meetingID", "abc123"}, {"attendeePW", "111222"}, {"moderatorPW", "333444"}});
    EXPECT_EQ(buildBackendQuery(create), "attendeePW=111222&meetingID=abc123&moderatorPW=333444&name=Test+Meeting");
    EXPECT_EQ(buildBackendUrl("https://node1.example.org/bigbluebutton/api/", "create", create, kSecret),
              "https://node1.example.org/bigbluebutton/api/create?"
              "attendeePW=111222&meetingID=abc123&moderatorPW=333444&name=Test+Meeting"
              "&checksum=94ec9a89c7dc53af01537aef9f8ecbae5e95cd7f37cd4bf18101b976a4a8b097");
    EXPECT_EQ(buildBackendUrl("https://node1.example.org/bigbluebutton/api/", "create", ParamList{}, kSecret),
              "https://node1.example.org/bigbluebutton/api/create?"
              "checksum=272c9555258496a3f19c5ad8f599af2a4ebec031381ff1e37b34842c42c12284");
}

TEST(BackendUrlTest, AppendsTheMissingSlashAndSkipsTheClientChecksum) {
    const ParamList p = params({{"meetingID", "m"}, {"checksum", "deadbeef"}});
    const std::string url = buildBackendUrl("https://h/bigbluebutton/api", "end", p, "s");
    EXPECT_EQ(url, "https://h/bigbluebutton/api/end?meetingID=m&checksum=" +
                       signQuery("end", "meetingID=m", "s", ChecksumAlgorithm::Sha256));
    // Only a checksum: signed as a call without parameters.
    EXPECT_EQ(buildBackendUrl("https://h/api/", "getMeetings", params({{"checksum", "x"}}), "s"),
              "https://h/api/getMeetings?checksum=" + signQuery("getMeetings", "", "s", ChecksumAlgorithm::Sha256));
}

TEST(BackendUrlTest, FormEscapesLikeGoQueryEscape) {
    struct Case {
        std::string input;
        std::string_view escaped;
    };
    const std::vector<Case> cases = {
        {"AZaz09-_.~", "AZaz09-_.~"},
        {"a b", "a+b"},
        {"a+b", "a%2Bb"},
        {"&=?#%/", "%26%3D%3F%23%25%2F"},
        {"'()*!", "%27%28%29%2A%21"},
        {"\xC3\xBC", "%C3%BC"},
        {std::string("\0\n", 2), "%00%0A"},
        {"", ""},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.input);
        std::string out;
        appendFormEscaped(out, c.input);
        EXPECT_EQ(out, c.escaped);
    }
}

TEST(BackendUrlTest, KeepsEmptyValuesAndSortsBytewise) {
    const ParamList p = params({{"b", ""}, {"B", "1"}, {"a_b", "x y"}, {"a", "2"}, {"meta_x", ""}});
    EXPECT_EQ(buildBackendQuery(p), "B=1&a=2&a_b=x+y&b=&meta_x=");
}

TEST(BackendUrlTest, NamesAreEscapedSoNoParameterCanBeSmuggled) {
    // A decoded name containing `&` and `=` must not become a second meetingID at the backend.
    const auto parsed = parseQuery("A%26meetingID%3Dvictim%26x=1&meetingID=mine", kDefaultMaxQueryLength);
    ASSERT_TRUE(parsed.ok());
    const std::string query = buildBackendQuery(parsed.query.params);
    EXPECT_EQ(query, "A%26meetingID%3Dvictim%26x=1&meetingID=mine");
    const auto reparsed = parseQuery(query, kDefaultMaxQueryLength);
    ASSERT_TRUE(reparsed.ok());
    EXPECT_EQ(reparsed.query.params.get("meetingID"), "mine");
}

TEST(BackendUrlTest, QueryRoundTripsThroughTheParser) {
    const ParamList p = params({{"name", "Ä & B + C = D?"},
                                {"welcome", "<b>hi</b>\n"},
                                {"meetingID", "a,b"},
                                {"meta_bbb-origin", "Greenlight"},
                                {"x y", "1"},
                                {"empty", ""}});
    const auto reparsed = parseQuery(buildBackendQuery(p), kDefaultMaxQueryLength);
    ASSERT_TRUE(reparsed.ok());
    for (const auto& param : p) {
        SCOPED_TRACE(param.name);
        EXPECT_EQ(reparsed.query.params.get(param.name), param.value);
    }
    EXPECT_EQ(reparsed.query.params.size(), p.size());
}

TEST(BackendUrlTest, OtherAlgorithmsOnRequest) {
    const ParamList p = params({{"meetingID", "m"}});
    const std::string url = buildBackendUrl("https://h/api/", "end", p, "s", ChecksumAlgorithm::Sha1);
    EXPECT_TRUE(url.ends_with("&checksum=" + signQuery("end", "meetingID=m", "s", ChecksumAlgorithm::Sha1)));
    EXPECT_TRUE(verifyChecksum("end", url.substr(url.find('?') + 1), "s").ok);
}

}  // namespace
}  // namespace b3s::core::bbb
