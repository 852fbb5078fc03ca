# Desvio: ids de 13 caracteres que nao sao digitos: Client-000001 para
# usuarios, Grupo-0000001 para grupos.
from zap_base import ServidorZap, main


class Servidor(ServidorZap):
    def gerar_id(self):
        novo = f"Client-{self.proximo:06d}"
        self.proximo += 1
        return novo

    def gerar_id_grupo(self):
        novo = f"Grupo-{self.proximo:07d}"
        self.proximo += 1
        return novo


if __name__ == "__main__":
    main(Servidor)
