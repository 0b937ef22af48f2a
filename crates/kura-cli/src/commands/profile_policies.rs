//! `kura profile show NAME --policies`: what an administrator registers for a profile, worded
//! from `kura_core::setup::SetupSummary` (the same data the desktop's setup screen shows).

use kura_core::config::CognitoFlow;
use kura_core::setup::{PoolProviderType, SetupSummary};

/// Prints the IAM OIDC provider, the identity pool's provider entry, and the role's trust and
/// permission policies.
pub(super) fn print_policies(s: &SetupSummary) {
    if let Some(pool) = &s.identity_pool {
        println!(
            "Identity pool {} (region {}, {} flow), authenticated access:",
            pool.identity_pool_id,
            pool.region,
            pool.flow.as_str()
        );
        match pool.provider_type {
            PoolProviderType::CognitoUserPool => println!(
                "  Cognito user pool provider: {} (app client ID {})",
                pool.identity_provider, pool.client_id
            ),
            PoolProviderType::OpenidConnect => println!(
                "  OpenID Connect provider: {} (the IAM OIDC provider below)",
                pool.identity_provider
            ),
        }
        if pool.flow == CognitoFlow::Basic {
            println!("  The pool must allow the basic (classic) flow.");
        }
        if pool.custom_role {
            if let Some(role) = &s.role_arn {
                println!("  Role-based access must offer {role} (requested as CustomRoleArn).");
            }
        }
    }
    if let Some(p) = &s.oidc_provider {
        println!("IAM OIDC identity provider: {} (audience {})", p.url, p.audience);
        println!("  ARN: {}", p.arn);
    }
    match &s.role_arn {
        Some(role) => println!("Trust policy of {role}:"),
        None => println!("Trust policy of the identity pool's authenticated role:"),
    }
    println!("{}", s.trust_policy);
    println!("Permission policy (each user gets their own folder):");
    println!("{}", s.permission_policy);
}
