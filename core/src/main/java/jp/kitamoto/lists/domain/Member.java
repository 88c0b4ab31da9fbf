package jp.kitamoto.lists.domain;

/** A person, known by one address. {@code addressKey} is the form used to find them (see {@link Addresses}). */
public record Member(long id, String address, String addressKey, String displayName, long createdAt) {
}
