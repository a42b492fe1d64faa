//! Lowers a policy file to Linkerd and prints the manifests (notes and
//! refusals go to stderr): `cargo run -p mesh-linkerd --example lower_policy -- FILE`.

use mesh_model::{Backend, Mesh};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: lower_policy FILE")?;
    let mesh = Mesh::from_policy(&std::fs::read_to_string(path)?)?;
    let out = mesh_linkerd::LinkerdBackend::default().lower(&mesh)?;
    print!("{}", out.manifests.to_yaml()?);
    for n in &out.notes {
        eprintln!("note: {n}");
    }
    Ok(())
}
