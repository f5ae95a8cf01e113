#include "store/database_url.hpp"

#include "store/store_error.hpp"
#include "util/ascii.hpp"

#include <libpq-fe.h>

#include <memory>
#include <set>
#include <vector>

namespace b3s::core::store {
namespace {

constexpr std::string_view kEnvKey = "B3SCALE_DB_URL";

StoreError invalid(const std::string& what) {
    return StoreError(StoreError::Kind::Invalid, std::string(kEnvKey) + ": " + what);
}

bool startsWith(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

std::string_view trim(std::string_view s) {
    return trimAny(s, " \t\r\n");
}

bool isPostgresUrl(std::string_view s) {
    return startsWith(s, "postgres://") || startsWith(s, "postgresql://");
}

// libpq's parse errors quote fragments of the input, which may be the password
// (`invalid percent-encoded token: "p%zz"`). Keep a quoted fragment only when it is a
// connection keyword, which is what makes most of these messages useful.
std::string scrubLibpqMessage(std::string_view message) {
    std::set<std::string, std::less<>> keywords;
    if (PQconninfoOption* defaults = PQconndefaults()) {
        for (auto* o = defaults; o->keyword; ++o) keywords.insert(o->keyword);
        PQconninfoFree(defaults);
    }
    std::string out;
    std::size_t pos = 0;
    while (pos < message.size()) {
        const auto open = message.find('"', pos);
        const auto close = open == std::string_view::npos ? open : message.find('"', open + 1);
        if (close == std::string_view::npos) {
            out.append(message.substr(pos));
            break;
        }
        const auto inner = message.substr(open + 1, close - open - 1);
        out.append(message.substr(pos, open - pos + 1));
        out.append(keywords.count(inner) ? std::string(inner) : std::string("…"));
        out.push_back('"');
        pos = close + 1;
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

DatabaseTarget parseSqlite(std::string_view url) {
    constexpr std::string_view prefix = "sqlite://";
    if (!startsWith(url, prefix)) throw invalid("SQLite URLs have the form sqlite:///absolute/path/b3scale.db");
    const std::string path(url.substr(prefix.size()));
    if (path.empty() || path.front() != '/')
        throw invalid("the SQLite path must be absolute (sqlite:///absolute/path/b3scale.db)");
    if (path.back() == '/') throw invalid("the SQLite path names a directory, not a file");
    if (path.find_first_of("?#") != std::string::npos) throw invalid("SQLite URL parameters (?…) are not supported");
    DatabaseTarget t;
    t.kind = ConnectorKind::Sqlite;
    t.connection_string = path;
    t.description = "sqlite://" + path;
    return t;
}

DatabaseTarget parsePostgres(std::string_view url, int connect_timeout_s) {
    const std::string input(url);
    char* error = nullptr;
    PQconninfoOption* parsed = PQconninfoParse(input.c_str(), &error);
    if (!parsed) {
        std::string why = error ? scrubLibpqMessage(error) : std::string("out of memory");
        if (error) PQfreemem(error);
        throw invalid("not a valid PostgreSQL URL or key=value string: " + why);
    }
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> guard(parsed, PQconninfoFree);

    DatabaseTarget t;
    t.kind = ConnectorKind::Postgres;
    std::vector<std::pair<std::string, std::string>> pairs;
    for (auto* o = parsed; o->keyword; ++o) {
        if (!o->val || !*o->val) continue;
        std::string value = o->val;
        if (std::string_view(o->keyword) == "password") t.password = value;
        if (value.find_first_of(" \t\r\n'\"\\") != std::string::npos) {
            throw invalid(std::string("the value of '") + o->keyword +
                          "' contains a blank, quote or backslash, which the PostgreSQL connector "
                          "cannot pass on; choose another value");
        }
        pairs.emplace_back(o->keyword, std::move(value));
    }
    auto has = [&](std::string_view key) {
        for (const auto& [k, v] : pairs)
            if (k == key) return true;
        return false;
    };
    if (!has("application_name")) pairs.emplace_back("application_name", "b3scaled");
    if (!has("connect_timeout") && connect_timeout_s > 0)
        pairs.emplace_back("connect_timeout", std::to_string(connect_timeout_s));
    // Only one -c fits: Poco splits on spaces. client_min_messages (and TimeZone again, for
    // URLs that bring their own options) are set per session after connecting.
    if (!has("options")) pairs.emplace_back("options", "-cTimeZone=UTC");

    for (const auto& [k, v] : pairs) {
        if (!t.connection_string.empty()) t.connection_string += ' ';
        t.connection_string += k;
        t.connection_string += '=';
        t.connection_string += v;
    }
    t.description = maskDatabaseUrl(url);
    return t;
}

// Masks the value that starts at `pos` and ends before any of `terminators`.
void maskValue(std::string& s, std::size_t pos, std::string_view terminators) {
    auto end = s.find_first_of(terminators, pos);
    if (end == std::string::npos) end = s.size();
    s.replace(pos, end - pos, "***");
}

std::string maskUrl(std::string s) {
    const auto start = s.find("://") + 3;
    auto authority_end = s.find_first_of("/?#", start);
    if (authority_end == std::string::npos) authority_end = s.size();
    const auto at = s.rfind('@', authority_end);
    if (at != std::string::npos && at >= start) {
        const auto colon = s.find(':', start);
        if (colon != std::string::npos && colon < at) s.replace(colon + 1, at - colon - 1, "***");
    }
    const auto query = s.find('?');
    if (query != std::string::npos) {
        for (auto pos = query; pos != std::string::npos && pos < s.size(); pos = s.find('&', pos + 1)) {
            if (s.compare(pos + 1, 9, "password=") == 0) maskValue(s, pos + 10, "&#");
        }
    }
    return s;
}

std::string maskKeyValue(std::string s) {
    std::size_t pos = 0;
    while ((pos = s.find("password", pos)) != std::string::npos) {
        const bool at_token_start = pos == 0 || s[pos - 1] == ' ' || s[pos - 1] == '\t';
        auto eq = s.find_first_not_of(" \t", pos + 8);
        if (!at_token_start || eq == std::string::npos || s[eq] != '=') {
            pos += 8;
            continue;
        }
        auto value = s.find_first_not_of(" \t", eq + 1);
        if (value == std::string::npos) break;
        if (s[value] == '\'') {
            auto end = value + 1;
            while (end < s.size() && s[end] != '\'') end += s[end] == '\\' ? 2 : 1;
            s.replace(value, std::min(end + 1, s.size()) - value, "***");
        } else {
            maskValue(s, value, " \t");
        }
        pos = value + 3;
    }
    return s;
}

}  // namespace

DatabaseTarget parseDatabaseUrl(std::string_view url, int connect_timeout_s) {
    const auto s = trim(url);
    if (s.empty()) throw invalid("is empty; set it to a postgres:// URL or sqlite:///absolute/path.db");
    if (startsWith(s, "sqlite:")) return parseSqlite(s);
    if (isPostgresUrl(s) || s.find('=') != std::string_view::npos) return parsePostgres(s, connect_timeout_s);
    throw invalid(
        "must be a postgres:// or postgresql:// URL, libpq key=value pairs, or "
        "sqlite:///absolute/path.db");
}

std::string maskDatabaseUrl(std::string_view url) {
    const auto s = trim(url);
    if (startsWith(s, "sqlite:")) return std::string(s);
    if (isPostgresUrl(s)) return maskUrl(std::string(s));
    return maskKeyValue(std::string(s));
}

std::string redactSecret(std::string text, std::string_view secret) {
    if (secret.empty()) return text;
    for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3))
        text.replace(pos, secret.size(), "***");
    return text;
}

}  // namespace b3s::core::store
