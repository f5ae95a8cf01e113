#include "store/tags_json.hpp"

#include "store/store_error.hpp"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <fmt/format.h>

namespace b3s::core::store {

std::string tagsToJson(const std::vector<std::string>& tags) {
    std::string out = "[";
    for (std::size_t i = 0; i < tags.size(); ++i) {
        if (i) out += ", ";
        out += '"';
        for (const unsigned char c : tags[i]) {
            switch (c) {
                case '"': out += "\\\""; break;
                case '\\': out += "\\\\"; break;
                case '\n': out += "\\n"; break;
                case '\r': out += "\\r"; break;
                case '\t': out += "\\t"; break;
                default:
                    if (c < 0x20)
                        out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
                    else
                        out += static_cast<char>(c);
            }
        }
        out += '"';
    }
    out += ']';
    return out;
}

std::vector<std::string> tagsFromJson(std::string_view json) {
    try {
        Poco::JSON::Parser parser;
        const auto value = parser.parse(std::string(json));
        const auto array = value.extract<Poco::JSON::Array::Ptr>();
        std::vector<std::string> tags;
        tags.reserve(array->size());
        for (std::size_t i = 0; i < array->size(); ++i) {
            const auto item = array->get(static_cast<unsigned>(i));
            if (!item.isString()) throw StoreError(StoreError::Kind::Internal, "backend tags hold a non-string");
            tags.push_back(item.extract<std::string>());
        }
        return tags;
    } catch (const Poco::Exception& e) {
        throw StoreError(StoreError::Kind::Internal, "backend tags are not a JSON array: " + e.displayText());
    }
}

}  // namespace b3s::core::store
