extension OpenAPIDocument {
    /// The methods (upper case, as `Allow` lists them) the contract declares on a concrete
    /// path such as `/v1/offers/42`; empty when the contract does not know the path.
    public func declaredMethods(path: String) -> [String] {
        guard let decoded = PathTemplate.decodedSegments(of: path) else { return [] }
        var methods: [String] = []
        for operation in operations
        where !methods.contains(operation.method.uppercased())
            && PathTemplate(operation.pathTemplate).match(decoded) != nil
        {
            methods.append(operation.method.uppercased())
        }
        return methods
    }
}
