# Desvios: uma saudacao ao conectar, "04"+id depois de um 03, "00"+texto
# como resposta de erro, e ids com zeros a esquerda (0000000000045).
from zap_base import ServidorZap, main


class Servidor(ServidorZap):
    def ao_conectar(self, conn):
        self.enviar(conn, "Conectado ao servidor zap!")

    def gerar_id(self):
        novo = str(self.proximo + 44).zfill(13)
        self.proximo += 1
        return novo

    def ignorar(self, conn, motivo):
        super().ignorar(conn, motivo)
        self.enviar(conn, "00" + motivo)

    def trata_03(self, conn, msg, envios):
        super().trata_03(conn, msg, envios)
        if self.sessoes.get(conn) == msg[2:15]:
            envios.append((conn, "04" + msg[2:15]))


if __name__ == "__main__":
    main(Servidor)
