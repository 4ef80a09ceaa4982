#pragma once
#include <boost/json/value.hpp>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace krasip::cases {

// The members a JSON object of a request may hold (issue 21, item 6). Every
// route that takes a JSON body declares one; a body with any other member is
// refused (unknown_field, naming it), so that a misspelt or misplaced field
// (a protection flag, an "exclude" that does not exist) is never silently
// ignored. A member whose value is an object names that object's shape too.
class JsonShape {
 public:
  struct Member {
    std::string_view name;
    const JsonShape* nested = nullptr;
  };
  JsonShape(std::initializer_list<Member> members) : members_(members) {}
  const Member* find(std::string_view name) const;
  // "a, b, c": for the message that names what the request takes.
  std::string names() const;

 private:
  std::vector<Member> members_;
};

// A shape with no member: the body of an action that takes none may be
// empty or {} only.
const JsonShape& no_members();

// Throws CaseError(unknown_field) for the first member of `value`, or of a
// nested object the shape names, that the shape does not know; the error's
// field is the member's path ("step_up.pasword"). A value that is not an
// object is left to the route, which refuses it with its own message.
void refuse_unknown_members(const boost::json::value& value, const JsonShape& shape);
// The same for one name (a multipart form's part).
void refuse_unknown_member(std::string_view name, const JsonShape& shape);

}  // namespace krasip::cases
