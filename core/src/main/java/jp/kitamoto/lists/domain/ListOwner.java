package jp.kitamoto.lists.domain;

public record ListOwner(long id, long listId, String address, OwnerRole role) {
}
