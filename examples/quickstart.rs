//! The quickstart: a 90/10 canary, strict mTLS and one authorization rule,
//! built in code with the model's builders.
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! It validates the model, then renders it for every mesh compiled in
//! (Istio, Linkerd and Consul by default): one YAML stream on stdout, each
//! mesh's objects after a `# ==== <mesh>` comment, ready for
//! `crd-validate` or `kubectl apply --dry-run=server`. What each backend
//! rewrote or made explicit goes to stderr.

use std::error::Error;

use meshwright::model::{
    AuthorizationPolicyBuilder, AuthzRuleBuilder, BackendRef, ForwardBuilder, Identity, Method,
    MtlsMode, Name, OperationBuilder, PathMatch, Port, Protocol, RouteBuilder, Scope,
    ServiceBuilder, ServicePortBuilder, Source, VersionBuilder,
};
use meshwright::{Mesh, MeshBuilder};

/// The quickstart mesh: `web` calls `api`; `api` v2 gets 10% of traffic.
fn quickstart() -> Result<Mesh, Box<dyn Error>> {
    let shop = Name::new("shop")?;
    let api = ServiceBuilder::default()
        .name(Name::new("api")?)
        .namespace(shop.clone())
        .port(
            ServicePortBuilder::default()
                .number(Port::new(8080)?)
                .protocol(Protocol::Http)
                .build()?,
        )
        .version(VersionBuilder::default().name(Name::new("v1")?).build()?)
        .version(VersionBuilder::default().name(Name::new("v2")?).build()?)
        .route(
            RouteBuilder::default()
                .name(Name::new("canary")?)
                .forward(
                    ForwardBuilder::default()
                        .backend(BackendRef::version("v1", 90)?)
                        .backend(BackendRef::version("v2", 10)?)
                        .build()?,
                )
                .build()?,
        )
        .build()?;
    let web = ServiceBuilder::default()
        .name(Name::new("web")?)
        .namespace(shop.clone())
        .port(
            ServicePortBuilder::default()
                .number(Port::new(80)?)
                .protocol(Protocol::Http)
                .build()?,
        )
        .build()?;
    let web_may_call_api = AuthorizationPolicyBuilder::default()
        .name(Name::new("web-to-api")?)
        .scope(Scope::Service(api.reference()))
        .rule(
            AuthzRuleBuilder::default()
                .source(Source::Identity(Identity::new("shop", "web")?))
                .operation(
                    OperationBuilder::default()
                        .method(Method::Get)
                        .method(Method::Post)
                        .path(PathMatch::Prefix("/api".parse()?))
                        .build()?,
                )
                .build()?,
        )
        .build()?;
    let mut mesh = MeshBuilder::default().service(web).service(api).build()?;
    // Strict is the default; saying it keeps the intent visible in code.
    mesh.security.mtls.mode = MtlsMode::Strict;
    mesh.security.authorization.push(web_may_call_api);
    mesh.validate()?;
    Ok(mesh)
}

fn main() -> Result<(), Box<dyn Error>> {
    let mesh = quickstart()?;
    eprintln!(
        "# quickstart: {} services, {} routes, mTLS {:?}, default {:?}; the model is valid.",
        mesh.services.len(),
        mesh.services.iter().map(|s| s.routes.len()).sum::<usize>(),
        mesh.security.mtls.mode,
        mesh.security.default_action,
    );
    let mut first = true;
    for target in meshwright::meshes() {
        let out = meshwright::lower(target, &mesh)?;
        for note in out.notes() {
            eprintln!("# {target} note: {note}");
        }
        if !first {
            println!("---");
        }
        first = false;
        println!("# ==== {target}: {} objects", out.len());
        print!("{}", out.write(meshwright::Format::Yaml)?);
    }
    Ok(())
}
