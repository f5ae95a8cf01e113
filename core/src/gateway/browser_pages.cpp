#include "gateway/browser_pages.hpp"

#include "bbb/xml_writer.hpp"

#include <algorithm>

namespace b3s::core::gateway {

namespace {

// Shared by every page; kept small enough to inline into each answer.
constexpr std::string_view kBaseStyle =
    ":root{color-scheme:light dark;font-family:system-ui,-apple-system,\"Segoe UI\",sans-serif;line-height:1.5}"
    "body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;"
    "background:#f3f4f6;color:#1f2328}"
    "main{box-sizing:border-box;max-width:34rem;margin:1.5rem;padding:2rem;background:#fff;"
    "border-radius:.75rem;box-shadow:0 1px 4px rgba(0,0,0,.15)}"
    "h1{font-size:1.4rem;line-height:1.3;margin:0 0 .75rem}"
    "p{margin:.5rem 0}"
    "a{color:#0b5cad}"
    ".button{display:inline-block;margin-top:1rem;padding:.6rem 1.2rem;border-radius:.4rem;"
    "background:#0b5cad;color:#fff;text-decoration:none;font-weight:600}"
    "@media (prefers-color-scheme:dark){body{background:#16181c;color:#e6e8eb}"
    "main{background:#23262b;box-shadow:none}a{color:#7db4ff}.button{background:#3b82d6;color:#fff}}";

// The retry page: a spinner, and a link that only appears once waiting has become unusual.
// visibility keeps the invisible link from being clicked or focused before it shows.
constexpr std::string_view kRetryStyle =
    ".spinner{width:2rem;height:2rem;margin:0 0 1rem;border:.25rem solid rgba(128,128,128,.3);"
    "border-top-color:#0b5cad;border-radius:50%;animation:spin 1s linear infinite}"
    "@keyframes spin{to{transform:rotate(360deg)}}"
    ".later{opacity:0;visibility:hidden;animation:appear .6s ease-in 12s forwards}"
    "@keyframes appear{to{opacity:1;visibility:visible}}"
    "@media (prefers-reduced-motion:reduce){.spinner{animation:none}.later{animation-duration:1ms}}";

// HTML5 takes XML's escapes (&apos; included); the XML writer's attribute rules also keep
// control characters and invalid UTF-8 out of the page.
void appendEscaped(std::string& out, std::string_view text) {
    bbb::XmlWriter::appendEscapedAttribute(out, text);
}

struct Refresh {
    int delay_s;
    std::string_view url;
};

// `body` is trusted markup written in this file; only `refresh->url` comes from outside.
std::string page(std::string_view title, const Refresh* refresh, std::string_view extra_style, std::string_view body) {
    std::string out;
    out.reserve(2048 + body.size());
    out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out += "<meta name=\"robots\" content=\"noindex\">\n";
    if (refresh != nullptr) {
        out += "<meta http-equiv=\"refresh\" content=\"";
        out += std::to_string(refresh->delay_s);
        out += "; url=";
        appendEscaped(out, refresh->url);
        out += "\">\n";
    }
    out += "<title>";
    out += title;
    out += "</title>\n<style>";
    out += kBaseStyle;
    out += extra_style;
    out += "</style>\n</head>\n<body>\n<main>\n";
    out += body;
    out += "</main>\n</body>\n</html>\n";
    return out;
}

std::string link(std::string_view url, std::string_view css_class, std::string_view text) {
    std::string out = "<a";
    if (!css_class.empty()) {
        out += " class=\"";
        out += css_class;
        out += '"';
    }
    out += " href=\"";
    appendEscaped(out, url);
    out += "\">";
    out += text;
    out += "</a>";
    return out;
}

}  // namespace

std::string redirectPage(std::string_view url) {
    const Refresh refresh{0, url};
    std::string body = "<h1>You are being redirected</h1>\n<p>Your meeting should open in a moment. If it does not, ";
    body += link(url, "", "continue to the meeting");
    body += ".</p>\n";
    return page("Redirecting", &refresh, {}, body);
}

std::string retryJoinPage(std::string_view retry_url, int refresh_s) {
    const Refresh refresh{std::max(refresh_s, 0), retry_url};
    std::string body =
        "<div class=\"spinner\" aria-hidden=\"true\"></div>\n"
        "<h1>Please wait, the meeting is being prepared</h1>\n"
        "<p>The server for this meeting is getting ready. You will be taken to the meeting as soon as it is.</p>\n"
        "<p class=\"later\">Still waiting? ";
    body += link(retry_url, "", "Try again");
    body += "</p>\n";
    return page("Please wait", &refresh, kRetryStyle, body);
}

std::string meetingNotFoundPage(std::string_view retry_url) {
    std::string body =
        "<h1>We could not find your meeting</h1>\n"
        "<p>This meeting does not exist, or it has not been started yet.</p>\n"
        "<p>Please check with the organiser that the meeting has begun, or open it again with the link from "
        "your invitation.</p>\n<p>";
    body += link(retry_url, "button", "Try again");
    body += "</p>\n";
    return page("Meeting not found", nullptr, {}, body);
}

std::string attendeesLimitPage() {
    return page("Meeting is full", nullptr, {},
                "<h1>This meeting cannot take more participants</h1>\n"
                "<p>The organisation hosting this meeting has reached the number of participants it can have at "
                "the same time.</p>\n"
                "<p>Please try again later, or let the organiser know.</p>\n");
}

std::string serverUnavailablePage(std::string_view retry_url) {
    std::string body =
        "<h1>The meeting is not available right now</h1>\n"
        "<p>The server hosting this meeting cannot be reached at the moment. This is usually over within a "
        "minute or two.</p>\n<p>";
    body += link(retry_url, "button", "Try again");
    body += "</p>\n";
    return page("Meeting not available", nullptr, {}, body);
}

std::string invalidLinkPage() {
    return page("Link not valid", nullptr, {},
                "<h1>This link is not valid any more</h1>\n"
                "<p>It has expired or was changed. Please open the meeting again with the link from your "
                "invitation.</p>\n");
}

std::string recordingForbiddenPage() {
    return page("Recording not available", nullptr, {},
                "<h1>You are not allowed to access this recording.</h1>\n"
                "<p>The provided link is invalid or has expired. Please open the recording again from the "
                "page that listed it.</p>\n");
}

std::string recordingNotFoundPage() {
    return page("Recording not found", nullptr, {},
                "<h1>We could not find this recording</h1>\n"
                "<p>It has been deleted or is not published.</p>\n");
}

}  // namespace b3s::core::gateway
