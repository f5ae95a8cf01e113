#include "bbb/backend_url.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace b3s::core::bbb {

namespace {

constexpr std::array<bool, 256> makeUnreservedTable() {
    std::array<bool, 256> table{};
    for (unsigned c = 'A'; c <= 'Z'; ++c) table[c] = true;
    for (unsigned c = 'a'; c <= 'z'; ++c) table[c] = true;
    for (unsigned c = '0'; c <= '9'; ++c) table[c] = true;
    table['-'] = table['_'] = table['.'] = table['~'] = true;
    return table;
}
constexpr auto kUnreserved = makeUnreservedTable();
constexpr char kUpperHex[] = "0123456789ABCDEF";

}  // namespace

void appendFormEscaped(std::string& out, std::string_view text) {
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (kUnreserved[c]) continue;
        out.append(text.data() + start, i - start);
        if (c == ' ') {
            out.push_back('+');
        } else {
            out.push_back('%');
            out.push_back(kUpperHex[c >> 4]);
            out.push_back(kUpperHex[c & 0x0F]);
        }
        start = i + 1;
    }
    out.append(text.data() + start, text.size() - start);
}

std::string buildBackendQuery(const ParamList& params) {
    std::vector<const Param*> sorted;
    sorted.reserve(params.size());
    std::size_t estimate = 0;
    for (const auto& param : params) {
        if (param.name == "checksum") continue;
        sorted.push_back(&param);
        estimate += param.name.size() + param.value.size() + 2;
    }
    std::sort(sorted.begin(), sorted.end(), [](const Param* a, const Param* b) { return a->name < b->name; });
    std::string query;
    query.reserve(estimate + estimate / 4);
    for (const Param* param : sorted) {
        if (!query.empty()) query.push_back('&');
        appendFormEscaped(query, param->name);
        query.push_back('=');
        appendFormEscaped(query, param->value);
    }
    return query;
}

std::string buildBackendUrl(std::string_view hostBaseUrl, std::string_view callName, const ParamList& params,
                            std::string_view secret, ChecksumAlgorithm algorithm) {
    const std::string query = buildBackendQuery(params);
    const std::string checksum = signQuery(callName, query, secret, algorithm);
    std::string url;
    url.reserve(hostBaseUrl.size() + 1 + callName.size() + query.size() + checksum.size() + 12);
    url.append(hostBaseUrl);
    if (!hostBaseUrl.ends_with('/')) url.push_back('/');
    url.append(callName);
    url.push_back('?');
    if (!query.empty()) {
        url.append(query);
        url.push_back('&');
    }
    url.append("checksum=");
    url.append(checksum);
    return url;
}

}  // namespace b3s::core::bbb
