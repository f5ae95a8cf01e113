#include "recordings/recording_document.hpp"

#include "log/logger.hpp"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <limits>
#include <sstream>
#include <typeinfo>

namespace b3s::core::recordings {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

log::Logger& logger() {
    static log::Logger l("b3s.core.recordings");
    return l;
}

// Keys are kept in insertion order so that equal formats give equal documents.
Object::Ptr newObject() {
    return new Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

// The malformed cases are reported by exception inside this file only; parseFormatsJson
// turns them into nullopt.
struct Malformed {};

// The value of `key`; nullopt when it is missing or null.
std::optional<Var> member(const Object& object, const std::string& key) {
    Var v = object.get(key);
    if (v.isEmpty()) return std::nullopt;
    return v;
}

std::string requiredString(const Object& object, const std::string& key) {
    const auto v = member(object, key);
    if (!v || !v->isString()) throw Malformed{};
    return v->extract<std::string>();
}

std::string optionalString(const Object& object, const std::string& key) {
    const auto v = member(object, key);
    if (!v) return {};
    if (!v->isString()) throw Malformed{};
    return v->extract<std::string>();
}

std::optional<std::int64_t> optionalInteger(const Object& object, const std::string& key) {
    const auto v = member(object, key);
    if (!v) return std::nullopt;
    if (!v->isInteger()) throw Malformed{};
    if (v->isSigned()) return v->convert<Poco::Int64>();
    const auto u = v->convert<Poco::UInt64>();
    if (u > static_cast<Poco::UInt64>(std::numeric_limits<std::int64_t>::max())) throw Malformed{};
    return static_cast<std::int64_t>(u);
}

int optionalDimension(const Object& object, const std::string& key) {
    const auto v = optionalInteger(object, key).value_or(0);
    if (v < 0 || v > std::numeric_limits<int>::max()) throw Malformed{};
    return static_cast<int>(v);
}

Object::Ptr objectAt(const Array& array, unsigned i) {
    const Object::Ptr object = array.getObject(i);
    if (!object) throw Malformed{};
    return object;
}

PlaybackFormat readFormat(const Object& object) {
    PlaybackFormat f;
    f.type = requiredString(object, "type");
    f.url = requiredString(object, "url");
    f.processing_time = optionalInteger(object, "processing_time").value_or(0);
    f.length = optionalInteger(object, "length").value_or(0);
    f.size = optionalInteger(object, "size");
    if (member(object, "preview")) {
        const Array::Ptr images = object.getArray("preview");
        if (!images) throw Malformed{};
        for (unsigned i = 0; i < images->size(); ++i) {
            const auto image = objectAt(*images, i);
            f.preview.push_back({requiredString(*image, "url"), optionalString(*image, "alt"),
                                 optionalDimension(*image, "width"), optionalDimension(*image, "height")});
        }
    }
    return f;
}

}  // namespace

std::string formatsToJson(const std::vector<PlaybackFormat>& formats) {
    Array array;
    for (const auto& f : formats) {
        auto object = newObject();
        object->set("type", f.type);
        object->set("url", f.url);
        object->set("processing_time", static_cast<Poco::Int64>(f.processing_time));
        object->set("length", static_cast<Poco::Int64>(f.length));
        if (f.size) object->set("size", static_cast<Poco::Int64>(*f.size));
        Array::Ptr preview = new Array;
        for (const auto& image : f.preview) {
            auto item = newObject();
            item->set("url", image.url);
            item->set("alt", image.alt);
            item->set("width", image.width);
            item->set("height", image.height);
            preview->add(item);
        }
        object->set("preview", preview);
        array.add(object);
    }
    std::ostringstream out;
    array.stringify(out);
    return out.str();
}

std::optional<std::vector<PlaybackFormat>> parseFormatsJson(std::string_view json) {
    try {
        Poco::JSON::Parser parser;
        const Var root = parser.parse(std::string(json));
        if (root.type() != typeid(Array::Ptr)) return std::nullopt;
        const auto array = root.extract<Array::Ptr>();
        std::vector<PlaybackFormat> formats;
        formats.reserve(array->size());
        for (unsigned i = 0; i < array->size(); ++i) formats.push_back(readFormat(*objectAt(*array, i)));
        return formats;
    } catch (const Malformed&) {
        return std::nullopt;
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
}

std::vector<PlaybackFormat> formatsFromJson(std::string_view json, std::string_view record_id) {
    if (auto formats = parseFormatsJson(json)) return std::move(*formats);
    logger().warn("recordings.formats_malformed", {{"record_id", record_id}});
    return {};
}

}  // namespace b3s::core::recordings
