import Store

/// The Store calls behind the administrator's pages (charities, accounts, tokens), held as
/// one value so the controller gains one member for the whole group of pages.
struct AdministrationStores: Sendable {
    let users: UserRepository
    let tokens: TokenRepository
    let regions: RegionRepository

    init(store: Database) {
        users = store.users
        tokens = store.tokens
        regions = store.regions
    }
}
