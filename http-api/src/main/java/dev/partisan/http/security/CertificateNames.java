package dev.partisan.http.security;

import java.security.cert.X509Certificate;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/** The common name of a client certificate's subject, for Riak's {@code certificate} source. */
final class CertificateNames {
  private CertificateNames() {}

  /**
   * The subject's one common name (CN), or null when the subject has none, more than one (which one
   * would be the user is ambiguous, so none is), or one that is not a string. Parsed from the RFC
   * 2253 form with LdapName, which handles escaped commas and the like; never throws.
   */
  static String commonName(X509Certificate certificate) {
    return commonName(certificate.getSubjectX500Principal());
  }

  static String commonName(X500Principal subject) {
    String found = null;
    try {
      LdapName name = new LdapName(subject.getName(X500Principal.RFC2253));
      for (Rdn rdn : name.getRdns()) {
        // A multi-valued RDN (CN=x+O=y) may carry the CN second; attribute ids ignore case.
        Attribute cn = rdn.toAttributes().get("CN");
        if (cn == null) {
          continue;
        }
        if (found != null || cn.size() != 1 || !(cn.get() instanceof String value)) {
          return null;
        }
        found = value;
      }
    } catch (NamingException | RuntimeException e) {
      return null;
    }
    return found;
  }
}
