package jp.kitamoto.lists.web.support;

import jp.kitamoto.lists.web.auth.StaffUser;

import java.util.List;

/**
 * What every page's layout needs: the title, the signed-in staff member (null on public pages), the CSRF token for
 * its forms, a one-time message from the previous request and the staff menu links added by modules.
 */
public record Page(String title, StaffUser staff, String csrf, String flash, List<WebModule.MenuLink> menu) {

    public boolean signedIn() {
        return staff != null;
    }

    public boolean hasFlash() {
        return flash != null && !flash.isBlank();
    }
}
