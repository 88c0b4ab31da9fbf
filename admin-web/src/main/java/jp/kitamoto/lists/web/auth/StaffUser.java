package jp.kitamoto.lists.web.auth;

import java.util.Set;

/** The staff member behind a request, re-read on every request so that a change of role applies at once. */
public record StaffUser(long id, String username, String displayName, StaffRole role, Set<Long> listIds) {

    public boolean isAdmin() {
        return role == StaffRole.ADMIN;
    }

    /** Settings and members of a list: admins, and owners the list is assigned to. */
    public boolean canManage(long listId) {
        return isAdmin() || (role == StaffRole.OWNER && listIds.contains(listId));
    }

    /** Held posts of a list: admins, and owners or moderators the list is assigned to. */
    public boolean canModerate(long listId) {
        return isAdmin() || listIds.contains(listId);
    }

    public String label() {
        return displayName == null || displayName.isBlank() ? username : displayName;
    }
}
