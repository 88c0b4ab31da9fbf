package jp.kitamoto.lists.mail.dmarc;

/** Looks up the DMARC policy that applies to mail with a header From in a domain. */
@FunctionalInterface
public interface DmarcPolicies {
    DmarcPolicy policyFor(String domain);
}
