#include "gateway/browser_pages.hpp"

#include <gtest/gtest.h>

#include <functional>

namespace b3s::core::gateway {
namespace {

std::size_t count(std::string_view text, std::string_view needle) {
    std::size_t n = 0;
    for (std::size_t at = text.find(needle); at != std::string_view::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

void expectWellFormedDocument(const std::string& page) {
    EXPECT_TRUE(page.starts_with("<!DOCTYPE html>\n")) << page.substr(0, 40);
    EXPECT_EQ(count(page, "<html"), 1u);
    EXPECT_EQ(count(page, "</html>"), 1u);
    EXPECT_LT(page.find("<html"), page.find("</html>"));
    EXPECT_TRUE(page.ends_with("</html>\n"));
    for (const char* once : {"<head>", "</head>", "<body>", "</body>", "<title>", "</title>", "<style>", "</style>"}) {
        EXPECT_EQ(count(page, once), 1u) << once;
    }
    EXPECT_NE(page.find("<meta charset=\"utf-8\">"), std::string::npos);
    EXPECT_NE(page.find("<meta name=\"viewport\""), std::string::npos);
    EXPECT_LT(page.find("<meta charset"), page.find("<title>"));
    // Self-contained: no script, nothing loaded from elsewhere.
    EXPECT_EQ(page.find("<script"), std::string::npos);
    EXPECT_EQ(page.find("<link"), std::string::npos);
    EXPECT_EQ(page.find("<img"), std::string::npos);
    EXPECT_EQ(page.find("url("), std::string::npos);
    EXPECT_EQ(page.find("@import"), std::string::npos);
}

constexpr std::string_view kHostile = "/bbb/x?a=\"><script>alert(1)</script>&b='&c=&amp;";
constexpr std::string_view kHostileEscaped =
    "/bbb/x?a=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;b=&apos;&amp;c=&amp;amp;";

TEST(BrowserPagesTest, ContentTypeIsUtf8Html) {
    EXPECT_EQ(kHtmlContentType, "text/html; charset=utf-8");
}

TEST(BrowserPagesTest, EveryPageIsOneSelfContainedDocument) {
    for (const std::string& page : {redirectPage("/x"), retryJoinPage("/x", 1), meetingNotFoundPage("/x"),
                                    attendeesLimitPage(), serverUnavailablePage("/x")}) {
        SCOPED_TRACE(page.substr(page.find("<title>"), 40));
        expectWellFormedDocument(page);
    }
}

TEST(BrowserPagesTest, HostileValuesAreEscapedInEveryPage) {
    const std::pair<const char*, std::function<std::string(std::string_view)>> pages[] = {
        {"redirect", [](std::string_view v) { return redirectPage(v); }},
        {"retry", [](std::string_view v) { return retryJoinPage(v, 1); }},
        {"not found", [](std::string_view v) { return meetingNotFoundPage(v); }},
        {"unavailable", [](std::string_view v) { return serverUnavailablePage(v); }},
    };
    for (const auto& [name, render] : pages) {
        SCOPED_TRACE(name);
        const std::string page = render(kHostile);
        expectWellFormedDocument(page);
        EXPECT_EQ(page.find("<script>"), std::string::npos);
        EXPECT_EQ(page.find(kHostile), std::string::npos);
        EXPECT_EQ(page.find("\"><script"), std::string::npos);
        EXPECT_EQ(page.find("b='"), std::string::npos);
        EXPECT_EQ(page.find("&b="), std::string::npos);  // a bare & from the value
        EXPECT_NE(page.find(std::string("href=\"") + std::string(kHostileEscaped) + "\""), std::string::npos);
        // Single characters on their own.
        const std::string quote = render("/bbb/it's");
        EXPECT_NE(quote.find("/bbb/it&apos;s"), std::string::npos);
        EXPECT_EQ(quote.find("/bbb/it's"), std::string::npos);
        const std::string amp = render("/bbb/a&b");
        EXPECT_NE(amp.find("/bbb/a&amp;b"), std::string::npos);
        EXPECT_EQ(amp.find("/bbb/a&b"), std::string::npos);
    }
}

TEST(BrowserPagesTest, RedirectPageRefreshesAtOnceAndLinksTheTarget) {
    const std::string page = redirectPage("https://bbb1.example.org/bigbluebutton/api/join?a=1&b=2");
    EXPECT_NE(page.find("You are being redirected"), std::string::npos);
    EXPECT_NE(page.find("<meta http-equiv=\"refresh\" content=\"0; url="
                        "https://bbb1.example.org/bigbluebutton/api/join?a=1&amp;b=2\">"),
              std::string::npos)
        << page;
    EXPECT_NE(page.find("<a href=\"https://bbb1.example.org/bigbluebutton/api/join?a=1&amp;b=2\">"), std::string::npos);
}

TEST(BrowserPagesTest, RetryPageRefreshesAfterTheDelayAndOffersALateLink) {
    const std::string page = retryJoinPage("/b3s/retry-join/abc.def", 2);
    EXPECT_NE(page.find("Please wait, the meeting is being prepared"), std::string::npos);
    EXPECT_NE(page.find("<meta http-equiv=\"refresh\" content=\"2; url=/b3s/retry-join/abc.def\">"), std::string::npos)
        << page;
    EXPECT_EQ(count(page, "http-equiv=\"refresh\""), 1u);
    EXPECT_NE(page.find("Still waiting?"), std::string::npos);
    EXPECT_NE(page.find("href=\"/b3s/retry-join/abc.def\">Try again</a>"), std::string::npos);
    // The link fades in by CSS alone, after 12 s.
    EXPECT_NE(page.find("class=\"later\""), std::string::npos);
    EXPECT_NE(page.find("12s forwards"), std::string::npos);
    EXPECT_NE(page.find("@keyframes appear"), std::string::npos);

    EXPECT_NE(retryJoinPage("/r", -5).find("content=\"0; url=/r\""), std::string::npos);
    EXPECT_NE(retryJoinPage("/r", 30).find("content=\"30; url=/r\""), std::string::npos);
}

TEST(BrowserPagesTest, DeadEndPagesDoNotRefresh) {
    const std::string not_found = meetingNotFoundPage("/bbb/f/api/join?x=1");
    EXPECT_NE(not_found.find("We could not find your meeting"), std::string::npos);
    EXPECT_NE(not_found.find("organiser"), std::string::npos);
    EXPECT_NE(not_found.find("invitation"), std::string::npos);
    EXPECT_NE(not_found.find("href=\"/bbb/f/api/join?x=1\">Try again</a>"), std::string::npos);

    const std::string full = attendeesLimitPage();
    EXPECT_NE(full.find("This meeting cannot take more participants"), std::string::npos);
    EXPECT_EQ(full.find("<a "), std::string::npos);

    const std::string unavailable = serverUnavailablePage("/bbb/f/api/join?x=1");
    EXPECT_NE(unavailable.find("The meeting is not available right now"), std::string::npos);
    EXPECT_NE(unavailable.find("href=\"/bbb/f/api/join?x=1\">Try again</a>"), std::string::npos);

    for (const std::string& page : {not_found, full, unavailable}) {
        EXPECT_EQ(page.find("http-equiv"), std::string::npos);
    }
}

}  // namespace
}  // namespace b3s::core::gateway
