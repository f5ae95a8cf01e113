// libFuzzer target: backend answers, which come from the network, through the XML tree
// reader and back out through the one writer. Besides "no crash, no hang, no sanitizer
// report" it asserts:
//   * whatever parseXml() accepts serialises (toXml) and parses again to the same tree;
//   * serialising that tree again gives the same bytes (one canonical form);
//   * decoding meeting ids in it (what the gateway does to every answer) keeps it writable.

#include "fuzz_check.hpp"

#include "bbb/xml_tree.hpp"
#include "gateway/answer_rewrite.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

using namespace b3s::core::bbb;

namespace {

bool sameTree(const XmlNode& a, const XmlNode& b) {
    if (a.kind != b.kind || a.name != b.name || a.text != b.text || a.attributes != b.attributes ||
        a.children.size() != b.children.size())
        return false;
    for (std::size_t i = 0; i < a.children.size(); ++i)
        if (!sameTree(a.children[i], b.children[i])) return false;
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    XmlParseLimits limits;
    limits.max_depth = 32;
    limits.max_nodes = 10'000;
    auto tree = parseXml(input, limits);
    if (!tree) return 0;
    const auto text = toXml(*tree);
    FUZZ_CHECK(text.has_value());
    const auto again = parseXml(*text, limits);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(sameTree(*tree, *again));
    FUZZ_CHECK(toXml(*again) == text);
    b3s::core::gateway::decodeMeetingIds(*tree);
    FUZZ_CHECK(toXml(*tree).has_value());
    return 0;
}
