extension JSONValue {
    /// The JSON pointer of every string in the value, member names included, that holds a
    /// scalar `isRefused` picks, in document order; the walk behind the server's refusal of
    /// NUL anywhere in a body, whatever the schema says of the field.
    func pointersOfText(where isRefused: (Unicode.Scalar) -> Bool, at pointer: String = "") -> [String] {
        switch self {
        case .string(let text):
            return text.unicodeScalars.contains(where: isRefused) ? [pointer] : []
        case .array(let elements):
            return elements.enumerated().flatMap { index, element in
                element.pointersOfText(where: isRefused, at: JSONPointer.appending(index, to: pointer))
            }
        case .object(let members):
            return members.keys.sorted().flatMap { name in
                let inner = JSONPointer.appending(name, to: pointer)
                let named = name.unicodeScalars.contains(where: isRefused) ? [inner] : []
                return named + (members[name]?.pointersOfText(where: isRefused, at: inner) ?? [])
            }
        case .null, .bool, .integer, .number:
            return []
        }
    }
}
